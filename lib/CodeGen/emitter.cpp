//===- emitter.cpp - LLVM IR from the routing IR --------------------------===//

#include "CodeGen/emitter.h"

#include "CodeGen/abi_types.h"
#include "CodeGen/frame_layout.h"
#include "CodeGen/task_order.h"
#include "Runtime/runtime_abi.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"

#include <utility>

namespace xcs::codegen {
namespace {

class Emitter {
public:
  /// \p table_size: the operator table's entries, which the frame's
  /// operators list before the bodies' (runtime::MapSite).
  Emitter(const ir::Function &function, std::size_t table_size,
          const FrameLayout &layout, llvm::Module &module,
          llvm::StringRef prefix)
      : function_(function), table_size_(table_size), layout_(layout),
        module_(module),
        context_(module.getContext()), builder_(context_), prefix_(prefix) {}

  /// Emits the output function, the task function, the entry running the
  /// tasks in \p order and then the output, and the task table.
  void emit(const std::vector<std::uint32_t> &order) {
    llvm::Function *output = emit_output();
    llvm::Function *task = emit_task_function(output, order);
    emit_entry(task, output, order);
    emit_task_table();
  }

  std::string entry_symbol() const { return (prefix_ + "_entry").str(); }
  std::string output_symbol() const { return (prefix_ + "_output").str(); }
  std::string task_symbol() const { return (prefix_ + "_task").str(); }
  std::string tasks_symbol() const { return (prefix_ + "_tasks").str(); }

private:
  /// One function for all tasks, switching on the task index: LLVM's code
  /// generation pays a fixed cost per function (about 37 us at O0 here),
  /// which a wide fan-out of one-call tasks would pay per call. With
  /// runtime::serial_run set in the index, each task goes on to the next in
  /// \p order and the last to the output, so a serial run is one call
  /// rather than one per task.
  llvm::Function *emit_task_function(llvm::Function *output,
                                     const std::vector<std::uint32_t> &order) {
    llvm::Function *function = begin_function(
        task_symbol(), llvm::GlobalValue::ExternalLinkage, /*indexed=*/true);
    llvm::Argument *index = function->getArg(1);
    index->setName("task");
    // With the output built in place, a serial run has nothing to do after
    // the last task, so a one-task plan never asks whether its run is
    // serial.
    bool output_after_last = !output_built_in_place();
    llvm::Value *serial = nullptr;
    if (order.size() > 1 || output_after_last)
      serial = builder_.CreateICmpNE(
          builder_.CreateAnd(index, i32(runtime::serial_run)), i32(0),
          "serial");
    llvm::Value *task = builder_.CreateAnd(index, i32(~runtime::serial_run));
    std::vector<llvm::BasicBlock *> blocks;
    for (std::uint32_t t : order)
      blocks.push_back(
          llvm::BasicBlock::Create(context_, "task" + llvm::Twine(t), function));
    llvm::BasicBlock *dispatch = builder_.GetInsertBlock();
    auto *invalid = llvm::BasicBlock::Create(context_, "invalid", function);
    builder_.SetInsertPoint(invalid);
    builder_.CreateUnreachable();
    auto *done = llvm::BasicBlock::Create(context_, "done", function);
    builder_.SetInsertPoint(done);
    builder_.CreateRet(i32(0));
    llvm::BasicBlock *finish = done;
    if (output_after_last) {
      finish = llvm::BasicBlock::Create(context_, "output", function);
      builder_.SetInsertPoint(finish);
      builder_.CreateRet(builder_.CreateCall(output, {frame_}));
    }
    builder_.SetInsertPoint(dispatch);
    llvm::SwitchInst *to_task =
        builder_.CreateSwitch(task, invalid, order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      to_task->addCase(i32(order[i]), blocks[i]);
      builder_.SetInsertPoint(blocks[i]);
      if (emit_task(order[i]))
        continue;
      llvm::BasicBlock *next = i + 1 < order.size() ? blocks[i + 1] : finish;
      if (next == done)
        builder_.CreateBr(done);
      else
        builder_.CreateCondBr(serial, next, done);
    }
    return function;
  }

  /// The nodes of task \p index, returning failure as soon as one fails.
  /// True when the task ends at an asynchronous call, whose helper's
  /// status (runtime::suspended) the task returns: its completion, not
  /// the task, goes on with the run.
  bool emit_task(std::size_t index) {
    llvm::ArrayRef<ir::NodeIndex> nodes = function_.tasks[index].nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const ir::Node &node = function_.nodes[nodes[i]];
      if (node.opcode != ir::Opcode::Call) {
        emit_node(nodes[i]);
        continue;
      }
      if (node.async) {
        builder_.CreateRet(
            call_helper(runtime::Helper::CallAsync, nodes[i],
                        {private_constant(call_site(nodes[i], {}), "_site")}));
        return true;
      }
      llvm::ArrayRef<ir::NodeIndex> reads = field_reads(nodes, i);
      emit_call(nodes[i], reads);
      i += reads.size();
    }
    return false;
  }

  /// The nodes right after call nodes[at] that only read its record: gets
  /// of one field, and checks reading it whole. The call's helper runs
  /// them, in the same order.
  llvm::ArrayRef<ir::NodeIndex> field_reads(llvm::ArrayRef<ir::NodeIndex> nodes,
                                            std::size_t at) const {
    std::uint32_t record = layout_.record_slot[nodes[at]];
    std::size_t end = at + 1;
    while (end < nodes.size()) {
      const ir::Node &node = function_.nodes[nodes[end]];
      bool get = node.opcode == ir::Opcode::Get &&
                 node.operands[0] == nodes[at] && reads_field(function_, node);
      bool check = node.opcode == ir::Opcode::Check &&
                   layout_.whole[nodes[end]] == record;
      if (!get && !check)
        break;
      ++end;
    }
    return nodes.slice(at + 1, end - at - 1);
  }

  /// Whether the output reads the record slot bound to the result
  /// (FrameShape::output_record): the call built the result there, and the
  /// run keeps just the output's fields, so the output has nothing to do.
  bool output_built_in_place() const {
    std::uint32_t bound = layout_.shape.output_record;
    return bound != runtime::FrameShape::no_output_record &&
           layout_.whole[function_.nodes.size() - 1] == bound;
  }

  /// The output function; empty, and not called by a serial run, when the
  /// output is built in place.
  llvm::Function *emit_output() {
    llvm::Function *output =
        begin_function(output_symbol(), llvm::GlobalValue::ExternalLinkage);
    if (!output_built_in_place())
      emit_node(function_.nodes.size() - 1);
    builder_.CreateRet(i32(0));
    return output;
  }

  /// The entry: a serial run of the task function from the first task in
  /// \p order, or just the output when there is no task.
  void emit_entry(llvm::Function *task, llvm::Function *output,
                  const std::vector<std::uint32_t> &order) {
    begin_function(entry_symbol(), llvm::GlobalValue::ExternalLinkage);
    if (order.empty())
      return (void)builder_.CreateRet(builder_.CreateCall(output, {frame_}));
    builder_.CreateRet(builder_.CreateCall(
        task, {frame_, i32(order.front() | runtime::serial_run)}));
  }

  /// Starts a function i32 (ptr frame), or i32 (ptr frame, i32 task) when
  /// \p indexed, and leaves the builder in its entry block.
  llvm::Function *begin_function(const llvm::Twine &name,
                                 llvm::GlobalValue::LinkageTypes linkage,
                                 bool indexed = false) {
    std::vector<llvm::Type *> parameters{builder_.getPtrTy()};
    if (indexed)
      parameters.push_back(builder_.getInt32Ty());
    auto *type =
        llvm::FunctionType::get(builder_.getInt32Ty(), parameters, false);
    auto *function = llvm::Function::Create(type, linkage, name, module_);
    function->addFnAttr(llvm::Attribute::NoUnwind);
    frame_ = function->getArg(0);
    frame_->setName("frame");
    builder_.SetInsertPoint(
        llvm::BasicBlock::Create(context_, "entry", function));
    failed_ = nullptr;
    return function;
  }

  /// Continues in a new block, placed right after the current one, when
  /// \p status is 0, else returns failure from the function's block
  /// returning 1, made on first use.
  void check(llvm::Value *status) {
    llvm::BasicBlock *current = builder_.GetInsertBlock();
    llvm::Function *function = current->getParent();
    llvm::BasicBlock *failed = failure_block();
    auto *next = llvm::BasicBlock::Create(context_, "", function,
                                          current->getNextNode());
    builder_.CreateCondBr(builder_.CreateICmpNE(status, i32(0)), failed,
                          next);
    builder_.SetInsertPoint(next);
  }

  /// The current function's block returning 1, made on first use; the
  /// builder stays where it was.
  llvm::BasicBlock *failure_block() {
    if (!failed_) {
      llvm::IRBuilderBase::InsertPointGuard keep(builder_);
      failed_ = llvm::BasicBlock::Create(
          context_, "failed", builder_.GetInsertBlock()->getParent());
      builder_.SetInsertPoint(failed_);
      builder_.CreateRet(i32(1));
    }
    return failed_;
  }

  /// Calls \p helper with the frame, \p node and \p arguments, and checks
  /// its status. The declaration's type comes from the helper's C++ type;
  /// arguments of other types are a bug of the emitter, caught here rather
  /// than as undefined behaviour at run time.
  void run_helper(runtime::Helper helper, ir::NodeIndex node,
                  llvm::ArrayRef<llvm::Value *> arguments) {
    check(call_helper(helper, node, arguments));
  }

  /// The status of a call of \p helper with the frame, \p node and
  /// \p arguments.
  llvm::Value *call_helper(runtime::Helper helper, ir::NodeIndex node,
                           llvm::ArrayRef<llvm::Value *> arguments) {
    llvm::SmallVector<llvm::Value *, 8> all{frame_, i32(node)};
    all.append(arguments.begin(), arguments.end());
    llvm::FunctionType *type = helper_type(helper, context_);
    if (type->getNumParams() != all.size())
      llvm::report_fatal_error("emitter: wrong argument count for " +
                               llvm::Twine(runtime::helper_symbol(helper)));
    for (unsigned i = 0; i < all.size(); ++i)
      if (type->getParamType(i) != all[i]->getType())
        llvm::report_fatal_error("emitter: wrong argument type for " +
                                 llvm::Twine(runtime::helper_symbol(helper)));
    llvm::FunctionCallee callee =
        module_.getOrInsertFunction(runtime::helper_symbol(helper), type);
    llvm::cast<llvm::Function>(callee.getCallee())
        ->addFnAttr(llvm::Attribute::NoUnwind);
    return builder_.CreateCall(callee, all);
  }

  void emit_node(ir::NodeIndex index) {
    const ir::Node &node = function_.nodes[index];
    switch (node.opcode) {
    case ir::Opcode::Input:
      // Without a value slot, its users read the input record itself.
      if (layout_.value_slot[index] == FrameLayout::none)
        return;
      return run_helper(runtime::Helper::Input, index,
                        {i32(node.field.index()), slot(index)});
    case ir::Opcode::Const:
      return run_helper(runtime::Helper::Const, index,
                        {i32(layout_.table_index[index]), slot(index)});
    case ir::Opcode::Call:
      return emit_call(index, {});
    case ir::Opcode::Get:
      return emit_get(index, node);
    case ir::Opcode::List:
      return run_helper(runtime::Helper::List, index,
                        {slot_list(node), count(node), slot(index)});
    case ir::Opcode::Record:
      return run_helper(runtime::Helper::Record, index,
                        {field_pairs(node), count(node), slot(index)});
    case ir::Opcode::Output:
      return run_helper(runtime::Helper::Output, index,
                        {field_pairs(node), count(node), whole(index)});
    case ir::Opcode::Check:
      return run_helper(runtime::Helper::Check, index,
                        {i32(layout_.table_index[index]), field_pairs(node),
                         count(node), whole(index)});
    case ir::Opcode::Cond:
    case ir::Opcode::Switch:
      return emit_choice(index);
    case ir::Opcode::Fallback:
      return emit_fallback(index);
    case ir::Opcode::Repeat:
      return emit_repeat(index);
    case ir::Opcode::Map:
      run_helper(runtime::Helper::Map, index,
                 {private_constant(map_site(index), "_site")});
      return box(index);
    }
  }

  /// The MapSite of map node \p index.
  llvm::Constant *map_site(ir::NodeIndex index) {
    const ir::Node &node = function_.nodes[index];
    std::vector<std::uint32_t> mapped;
    for (FieldId field : node.mapped)
      mapped.push_back(field.index());
    llvm::Constant *fields[] = {
        i32(node.op),
        i32(table_size_ + node.body),
        i32(layout_.record_slot[index]),
        whole(index),
        count(node),
        i32(mapped.size()),
        i32(node.per_element ? node.field.index() : runtime::no_errors_field),
        i32(node.limit),
        field_pairs(node),
        constant_array(mapped)};
    return llvm::ConstantStruct::get(map_site_type(context_), fields);
  }

  /// A cond or a switch: the helper chooses, a switch instruction jumps to
  /// the chosen branch's block (or to the failure block on -1), and each
  /// block calls its branch; only the taken one runs.
  void emit_choice(ir::NodeIndex index) {
    const ir::Node &node = function_.nodes[index];
    llvm::Constant *site = branch_site(index);
    run_helper(runtime::Helper::Validate, index, {site});
    llvm::Value *choice = call_helper(node.opcode == ir::Opcode::Cond
                                          ? runtime::Helper::ChooseCond
                                          : runtime::Helper::ChooseSwitch,
                                      index, {site});
    llvm::Function *function = builder_.GetInsertBlock()->getParent();
    auto *join = llvm::BasicBlock::Create(context_, "join", function);
    llvm::SwitchInst *to_branch =
        builder_.CreateSwitch(choice, failure_block(), node.branches.size());
    for (std::uint32_t b = 0; b < node.branches.size(); ++b) {
      auto *block = llvm::BasicBlock::Create(context_, "branch" + llvm::Twine(b),
                                             function, join);
      to_branch->addCase(i32(b), block);
      builder_.SetInsertPoint(block);
      run_helper(runtime::Helper::Branch, index, {site, i32(b)});
      builder_.CreateBr(join);
    }
    builder_.SetInsertPoint(join);
    box(index);
  }

  /// A fallback: the primary's helper says whether it threw, and only then
  /// does the block calling on_error run.
  void emit_fallback(ir::NodeIndex index) {
    llvm::Constant *site = branch_site(index);
    run_helper(runtime::Helper::Enter, index, {site});
    llvm::Value *status = call_helper(runtime::Helper::Try, index, {site});
    llvm::Function *function = builder_.GetInsertBlock()->getParent();
    auto *on_error = llvm::BasicBlock::Create(context_, "on_error", function);
    auto *join = llvm::BasicBlock::Create(context_, "join", function);
    llvm::SwitchInst *to_next = builder_.CreateSwitch(status, failure_block(), 2);
    to_next->addCase(i32(0), join);
    to_next->addCase(i32(runtime::caught), on_error);
    builder_.SetInsertPoint(on_error);
    run_helper(runtime::Helper::Catch, index, {site});
    builder_.CreateBr(join);
    builder_.SetInsertPoint(join);
    box(index);
  }

  /// A repeat: a loop in the compiled code, counting the body's runs in a
  /// phi, until the helper says the loop is over.
  void emit_repeat(ir::NodeIndex index) {
    llvm::Constant *site = branch_site(index);
    run_helper(runtime::Helper::Enter, index, {site});
    llvm::BasicBlock *before = builder_.GetInsertBlock();
    llvm::Function *function = before->getParent();
    auto *loop = llvm::BasicBlock::Create(context_, "loop", function);
    auto *again = llvm::BasicBlock::Create(context_, "again", function);
    auto *join = llvm::BasicBlock::Create(context_, "join", function);
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(loop);
    llvm::PHINode *iteration = builder_.CreatePHI(builder_.getInt32Ty(), 2,
                                                  "iteration");
    iteration->addIncoming(i32(0), before);
    llvm::Value *status =
        call_helper(runtime::Helper::Iterate, index, {site, iteration});
    llvm::SwitchInst *to_next = builder_.CreateSwitch(status, failure_block(), 2);
    to_next->addCase(i32(0), again);
    to_next->addCase(i32(runtime::loop_done), join);
    builder_.SetInsertPoint(again);
    iteration->addIncoming(builder_.CreateAdd(iteration, i32(1)), again);
    builder_.CreateBr(loop);
    builder_.SetInsertPoint(join);
    box(index);
  }

  /// Boxes node \p index's record into its value slot when some node uses
  /// it whole.
  void box(ir::NodeIndex index) {
    if (layout_.boxed[index])
      run_helper(runtime::Helper::Box, index,
                 {i32(layout_.record_slot[index]), slot(index)});
  }

  /// The BranchSite of structured node \p index.
  llvm::Constant *branch_site(ir::NodeIndex index) {
    const ir::Node &node = function_.nodes[index];
    std::uint32_t record = layout_.record_slot[index];
    bool is_switch = node.opcode == ir::Opcode::Switch;
    llvm::Constant *fields[] = {
        i32(node.op),
        i32(record),
        i32(record + 1),
        whole(index),
        count(node),
        i32(node.field.index()),
        i32(is_switch ? layout_.table_index[index] : 0),
        i32(node.cases.size()),
        i32(node.max_iterations),
        field_pairs(node),
        constant_array(node.branches)};
    return private_constant(
        llvm::ConstantStruct::get(branch_site_type(context_), fields), "_site");
  }

  /// Calls node \p index and runs \p reads, the gets and checks that only
  /// read its record (field_reads).
  void emit_call(ir::NodeIndex index, llvm::ArrayRef<ir::NodeIndex> reads) {
    std::vector<std::uint32_t> triples;
    for (std::size_t i = 0; i < reads.size(); ++i)
      if (!checked_next(reads, i))
        append_read(reads[i], triples);
    run_helper(runtime::Helper::Call, index,
               {private_constant(call_site(index, triples), "_site")});
    box(index);
  }

  /// The CallSite of call node \p index, with \p triples as its reads.
  llvm::Constant *call_site(ir::NodeIndex index,
                            llvm::ArrayRef<std::uint32_t> triples) {
    const ir::Node &node = function_.nodes[index];
    std::uint32_t box_slot = node.async && layout_.boxed[index]
                                 ? layout_.value_slot[index]
                                 : runtime::no_slot;
    llvm::Constant *fields[] = {i32(node.op),
                                i32(layout_.record_slot[index]),
                                whole(index),
                                count(node),
                                i32(triples.size() / 3),
                                i32(box_slot),
                                field_pairs(node),
                                constant_array(triples)};
    return llvm::ConstantStruct::get(call_site_type(context_), fields);
  }

  /// Whether reads[i] is a get without a value slot that the next read, a
  /// check of that one field, reads: the check's triple fails like the get
  /// when the field is missing, so the get needs none.
  bool checked_next(llvm::ArrayRef<ir::NodeIndex> reads, std::size_t i) const {
    ir::NodeIndex read = reads[i];
    if (function_.nodes[read].opcode != ir::Opcode::Get ||
        layout_.value_slot[read] != FrameLayout::none || i + 1 == reads.size())
      return false;
    const ir::Node &next = function_.nodes[reads[i + 1]];
    return next.opcode == ir::Opcode::Check && next.operands.size() == 1 &&
           next.operands[0] == read;
  }

  /// Appends the `reads` triples (runtime_abi.h) of \p read, a get or a
  /// check node, to \p triples.
  void append_read(ir::NodeIndex read, std::vector<std::uint32_t> &triples) {
    const ir::Node &node = function_.nodes[read];
    if (node.opcode == ir::Opcode::Get) {
      triples.insert(triples.end(),
                     {read, read_field(read), layout_.value_slot[read]});
      return;
    }
    std::uint32_t entry = layout_.table_index[read];
    for (const FieldOperand &checked : fields_by_index(node))
      triples.insert(triples.end(), {checked.operand | runtime::fused_check,
                                     checked.field.index(), entry++});
  }

  /// The index of the field get node \p get reads.
  std::uint32_t read_field(ir::NodeIndex get) const {
    return function_.nodes[get].path.steps()[0].field.index();
  }

  void emit_get(ir::NodeIndex index, const ir::Node &node) {
    ir::NodeIndex source = node.operands[0];
    llvm::Value *path = i32(layout_.table_index[index]);
    if (!reads_record(function_, node))
      return run_helper(runtime::Helper::GetPath, index,
                        {slot(source), path, slot(index)});
    llvm::Value *record = i32(layout_.record_slot[source]);
    // One field step is the common case: its field is baked in, so the
    // helper does a single lookup and never touches the path table.
    if (reads_field(function_, node))
      return run_helper(runtime::Helper::GetField, index,
                        {record, i32(read_field(index)), slot(index)});
    run_helper(runtime::Helper::GetRecordPath, index, {record, path, slot(index)});
  }

  void emit_task_table() {
    llvm::StructType *entry_type = task_entry_type(context_);
    std::vector<llvm::Constant *> entries;
    for (const ir::Task &task : function_.tasks)
      entries.push_back(llvm::ConstantStruct::get(
          entry_type, {i32(task.join_count), i32(task.successors.size()),
                       constant_array(task.successors)}));
    auto *table_type = llvm::ArrayType::get(entry_type, entries.size());
    new llvm::GlobalVariable(module_, table_type, /*isConstant=*/true,
                             llvm::GlobalValue::ExternalLinkage,
                             llvm::ConstantArray::get(table_type, entries),
                             tasks_symbol());
  }

  /// A private constant i32 array holding \p values; null when empty.
  llvm::Constant *constant_array(llvm::ArrayRef<std::uint32_t> values) {
    if (values.empty())
      return llvm::ConstantPointerNull::get(builder_.getPtrTy());
    return private_constant(llvm::ConstantDataArray::get(context_, values),
                            "_args");
  }

  /// A private constant global holding \p data, named after the module
  /// and \p suffix.
  llvm::GlobalVariable *private_constant(llvm::Constant *data,
                                         llvm::StringRef suffix) {
    auto *global = new llvm::GlobalVariable(
        module_, data->getType(), /*isConstant=*/true,
        llvm::GlobalValue::PrivateLinkage, data, prefix_ + suffix);
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    return global;
  }

  /// The (field, value slot) pairs of a call, record or output node,
  /// sorted by field so that the helper builds its record by appending.
  llvm::Constant *field_pairs(const ir::Node &node) {
    std::vector<std::uint32_t> flat;
    for (const FieldOperand &pair : fields_by_index(node)) {
      flat.push_back(pair.field.index());
      flat.push_back(layout_.value_slot[pair.operand]);
    }
    return constant_array(flat);
  }

  /// The record node \p index reads whole (frame_layout.h), if any.
  llvm::ConstantInt *whole(ir::NodeIndex index) {
    return i32(layout_.whole[index]);
  }

  /// The value slots of a list node's items.
  llvm::Constant *slot_list(const ir::Node &node) {
    std::vector<std::uint32_t> slots;
    for (ir::NodeIndex operand : node.operands)
      slots.push_back(layout_.value_slot[operand]);
    return constant_array(slots);
  }

  llvm::ConstantInt *slot(ir::NodeIndex node) {
    return i32(layout_.value_slot[node]);
  }
  llvm::ConstantInt *count(const ir::Node &node) {
    return i32(node.operands.size());
  }
  llvm::ConstantInt *i32(std::uint64_t value) {
    return builder_.getInt32(static_cast<std::uint32_t>(value));
  }

  const ir::Function &function_;
  std::size_t table_size_;
  const FrameLayout &layout_;
  llvm::Module &module_;
  llvm::LLVMContext &context_;
  llvm::IRBuilder<> builder_;
  llvm::StringRef prefix_;
  /// The frame argument and failure block (null until needed) of the
  /// function being emitted.
  llvm::Value *frame_ = nullptr;
  llvm::BasicBlock *failed_ = nullptr;
};

} // namespace

llvm::Expected<EmittedModule> emit(const ir::Module &scheduled,
                                   llvm::LLVMContext &context,
                                   llvm::StringRef prefix) {
  const ir::Function &function = scheduled.function;
  llvm::Expected<std::vector<std::uint32_t>> order = task_order(function);
  if (!order)
    return order.takeError();
  FrameLayout layout = layout_frame(function);
  auto module = std::make_unique<llvm::Module>(prefix, context);
  Emitter emitter(function, scheduled.operators.size(), layout, *module,
                  prefix);
  emitter.emit(*order);
  EmittedModule emitted;
  emitted.module = std::move(module);
  emitted.entry_symbol = emitter.entry_symbol();
  emitted.task_symbol = emitter.task_symbol();
  emitted.output_symbol = emitter.output_symbol();
  emitted.tasks_symbol = emitter.tasks_symbol();
  emitted.task_count = function.tasks.size();
  emitted.shape = layout.shape;
  return emitted;
}

} // namespace xcs::codegen
