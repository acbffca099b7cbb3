//===- random_pipeline.cpp - Random composites for differential tests -----===//

#include "random_pipeline.h"

#include "xcs/error.h"
#include "xcs/ops.h"
#include "xcs/path.h"
#include "xcs/trace.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

namespace xcs::testing_util {
namespace {

using Rng = std::mt19937_64;

int uniform(Rng &rng, int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(rng);
}

/// A value available to later steps: where the glue finds it.
struct Source {
  /// -1 for the composite's input, else the step whose output it is.
  int step;
  Path path;
  /// Whether a specification where it comes from declares it an int (a
  /// path into a list or record, or an output of kind any, does not).
  bool declared_int = true;
  /// Whether the glue takes the path's first field and walks the rest from
  /// its value (`Path().index(2).at(out.at("items"))`), so that a
  /// failure names the shorter path.
  bool from_field = false;
  /// Whether it is a bool a Positive step computed: only a cond takes it.
  bool is_bool = false;
};

/// How the glue handles the failure of a step's call.
struct Guard {
  enum class Kind {
    /// No try block: the failure propagates.
    None,
    /// The step's result is `fallback` instead.
    Fallback,
    /// The step's result is `retry`'s, called with the same arguments.
    Retry,
    /// A GlueError quoting the failure is thrown instead.
    Rethrow
  };
  Kind kind = Kind::None;
  /// Catches every std::exception, else only InputError (so an injected
  /// std::runtime_error passes through).
  bool catches_all = true;
  /// The try block also builds the step's arguments, so a failing path
  /// into an earlier value is handled too. Never with Retry, which needs
  /// the arguments.
  bool covers_arguments = false;
  OperatorPtr retry;
  Record fallback;
};

/// A call of the pipeline and how its inputs are wired.
struct Step {
  /// The operator called; unused when `members` is not empty.
  OperatorPtr op;
  /// Operators called in turn with the same arguments, whose outputs `y`
  /// the glue gathers as the step's result {responses: [...]}: a list of
  /// fixed length, like an ensemble's.
  std::vector<OperatorPtr> members;
  /// Input field -> where its value comes from (or a constant).
  std::vector<std::pair<std::string, Source>> wires;
  std::vector<std::pair<std::string, std::int64_t>> constants;
  /// Input field built as a list of sources (the "items" of a Sum).
  std::vector<Source> list_items;
  Guard guard;
};

/// {items: list of ints} -> {y: their sum}.
OperatorPtr sum_list() {
  return ops::function(
      "Sum", Specification().input("items", Kind::List).output("y", Kind::Int),
      [](const Record &in) {
        std::int64_t sum = 0;
        for (const Value &item : in.at("items").as_list()) {
          if (item.kind() != Kind::Int)
            throw InputError("operator 'Sum': an item is a " +
                             std::string(kind_name(item.kind())) +
                             ", not an int");
          sum += item.as_int();
        }
        return Record{{"y", sum}};
      });
}

/// {a, b} -> {pair: [a, b], info: {a: a, b: b}}.
OperatorPtr pack() {
  return ops::function(
      "Pack",
      Specification()
          .input("a", Kind::Int)
          .input("b", Kind::Int)
          .output("pair", Kind::List)
          .output("info", Kind::Record),
      [](const Record &in) {
        return Record{{"pair", Value::list({in.at("a"), in.at("b")})},
                      {"info", Value::record(Record{{"a", in.at("a")},
                                                    {"b", in.at("b")}})}};
      });
}

/// {x: any} -> {items: [x, x+1, ...], info: {n, items}}: a list of
/// |x| mod 4 + 1 items, so that a path to one of them exists for some
/// inputs only. A value that is not an int gives no items.
OperatorPtr split() {
  return ops::function(
      "Split",
      Specification()
          .input("x")
          .output("items", Kind::List)
          .output("info", Kind::Record),
      [](const Record &in) {
        const Value &x = in.at("x");
        std::vector<Value> items;
        if (x.is_int())
          for (std::int64_t i = 0; i <= (x.as_int() % 4 + 4) % 4; ++i)
            items.emplace_back(x.as_int() + i);
        auto count = static_cast<std::int64_t>(items.size());
        Value list = Value::list(std::move(items));
        return Record{
            {"items", list},
            {"info", Value::record(Record{{"n", count}, {"items", list}})}};
      });
}

/// {x: any} -> {a, b, c: any}: each x plus an offset, or a string when x is
/// not an int or is divisible by the field's modulus (3, 2, 5), so that a
/// composite declaring them int sees one, several or none of the wrong kind.
OperatorPtr loose() {
  return ops::function(
      "Loose", Specification().input("x").output("a").output("b").output("c"),
      [](const Record &in) {
        const Value &x = in.at("x");
        auto field = [&](std::int64_t modulus) {
          if (x.is_int() && x.as_int() % modulus != 0)
            return Value(x.as_int() + modulus);
          return Value("loose");
        };
        return Record{{"a", field(3)}, {"b", field(2)}, {"c", field(5)}};
      });
}

/// {x: int} -> {p: bool}: x > 0.
OperatorPtr positive() {
  return ops::function(
      "Positive",
      Specification().input("x", Kind::Int).output("p", Kind::Bool),
      [](const Record &in) { return Record{{"p", in.at("x").as_int() > 0}}; });
}

/// {x: int} -> {y: int}: x - 1, but throws a std::runtime_error when x is
/// divisible by 3: a fallback's primary.
OperatorPtr picky() {
  return ops::function(
      "Picky", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [](const Record &in) {
        std::int64_t x = in.at("x").as_int();
        if (x % 3 == 0)
          throw std::runtime_error("Picky refuses " + std::to_string(x));
        return Record{{"y", x - 1}};
      });
}

/// {x: int, error_type, error_message} -> {y: int}: a fallback's on_error
/// that reads the error fields: x plus the message's length.
OperatorPtr recover() {
  return ops::function(
      "Recover",
      Specification()
          .input("x", Kind::Int)
          .input("error_type", Kind::String)
          .input("error_message", Kind::String)
          .output("y", Kind::Int),
      [](const Record &in) {
        return Record{{"y", in.at("x").as_int() +
                                static_cast<std::int64_t>(
                                    in.at("error_message").as_string().size() +
                                    in.at("error_type").as_string().size())}};
      });
}

/// {x: int} -> {x: int, done: bool}: x / 2 + 1, done once |x| < 4: a
/// loop body that ends for small inputs within the bound and not for large.
OperatorPtr halve() {
  return ops::function(
      "Halve",
      Specification().input("x", Kind::Int).output("x", Kind::Int).output(
          "done", Kind::Bool),
      [](const Record &in) {
        std::int64_t x = in.at("x").as_int() / 2 + 1;
        return Record{{"x", x}, {"done", x < 4 && x > -4}};
      });
}

/// Mixes \p x's bits (splitmix64's finalizer), so that nearby hashes give
/// unrelated faults.
std::uint64_t mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A hash of \p record's printed form: unlike Record::hash it does not
/// depend on the order in which the process interned the field names, so a
/// seed fails at the same places whether it runs alone or after others.
std::uint64_t digest(const Record &record) {
  return std::hash<std::string>()(record.to_string());
}

/// \p inner as a leaf that fails on about one input in five while \p on is
/// set: it throws, or its result lacks its first declared output or has a
/// string there. Its name, numbered by \p seed, is unique, so an error
/// message tells which node failed.
std::shared_ptr<CountedLeaf> faulty(OperatorPtr inner, std::uint64_t seed,
                                    std::shared_ptr<std::atomic<bool>> on) {
  std::string name = "Faulty" + std::to_string(seed) + "." + inner->name();
  Specification spec = inner->spec();
  return std::make_shared<CountedLeaf>(
      name, std::move(spec),
      [inner = std::move(inner), seed, on = std::move(on),
       name](const Record &inputs) {
        // forward() rather than the call operator: this leaf stays a leaf.
        Record outputs = inner->forward(inputs);
        if (!on->load(std::memory_order_relaxed))
          return outputs;
        FieldId first = inner->spec().outputs().front().id;
        switch (mix(seed ^ digest(inputs)) % 16) {
        case 0:
          throw std::runtime_error(name + ": injected fault");
        case 1:
          outputs.erase(first);
          break;
        case 2:
          outputs.set(first, Value("not the declared kind"));
          break;
        default:
          break;
        }
        return outputs;
      });
}

/// The composite: calls its steps in order, routing values as wired and
/// handling failures as each step's guard says.
class RandomComposite : public Operator, public Composite {
public:
  RandomComposite(std::string name, Specification spec, std::vector<Step> steps,
                  std::vector<std::pair<std::string, Source>> outputs)
      : Operator(std::move(name), std::move(spec)), steps_(std::move(steps)),
        outputs_(std::move(outputs)) {}

  Record forward(const Record &inputs) const override {
    std::vector<Record> results;
    results.reserve(steps_.size());
    for (const Step &step : steps_)
      results.push_back(guarded(step, inputs, results));
    Record out;
    for (const auto &[field, source] : outputs_)
      out.set(field, fetch(source, inputs, results));
    return out;
  }

private:
  static const Value &fetch(const Source &source, const Record &inputs,
                            const std::vector<Record> &results) {
    const Record &from = source.step < 0 ? inputs : results[source.step];
    if (!source.from_field)
      return source.path.at(from);
    return source.path.slice(1).at(from.at(source.path.steps().front().field));
  }

  static Record arguments(const Step &step, const Record &inputs,
                          const std::vector<Record> &results) {
    Record args;
    for (const auto &[field, source] : step.wires)
      args.set(field, fetch(source, inputs, results));
    for (const auto &[field, value] : step.constants)
      args.set(field, xcs::constant(value));
    if (!step.list_items.empty()) {
      std::vector<Value> items;
      for (const Source &source : step.list_items)
        items.push_back(fetch(source, inputs, results));
      args.set("items", Value::list(std::move(items)));
    }
    return args;
  }

  static Record call(const Step &step, const Record &args) {
    if (step.members.empty())
      return (*step.op)(args);
    std::vector<Value> responses;
    for (const OperatorPtr &member : step.members)
      responses.push_back((*member)(args).at("y"));
    return Record{{"responses", Value::list(std::move(responses))}};
  }

  Record guarded(const Step &step, const Record &inputs,
                 const std::vector<Record> &results) const {
    const Guard &guard = step.guard;
    if (guard.kind == Guard::Kind::None)
      return call(step, arguments(step, inputs, results));
    Record args =
        guard.covers_arguments ? Record() : arguments(step, inputs, results);
    try {
      return call(step, guard.covers_arguments
                            ? arguments(step, inputs, results)
                            : args);
    } catch (const std::exception &e) {
      if (!guard.catches_all && !dynamic_cast<const InputError *>(&e))
        throw;
      if (guard.kind == Guard::Kind::Fallback)
        return guard.fallback;
      if (guard.kind == Guard::Kind::Retry)
        return (*guard.retry)(args);
      throw GlueError(name() + " caught: " + e.what());
    }
  }

  std::vector<Step> steps_;
  std::vector<std::pair<std::string, Source>> outputs_;
};

/// What a step calls. Pure routing draws among the kinds up to Identity
/// and Composite; user glue adds the three before Composite.
enum class StepKind {
  Affine,
  Binary,
  Sum,
  Pack,
  Identity,
  Split,
  Loose,
  Ensemble,
  Composite,
  // Structured operators and the leaf computing their bools (control
  // flow only).
  Positive,
  Cond,
  Switch,
  Fallback,
  Repeat
};

/// A thread that runs the work posted to it, in order: where asynchronous
/// leaves complete when they do not complete inline.
class Completer {
public:
  static Completer &global() {
    static Completer completer;
    return completer;
  }

  void post(std::function<void()> work) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
    posted_.notify_one();
  }

  ~Completer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
      posted_.notify_one();
    }
    thread_.join();
  }

private:
  Completer() : thread_([this] { run(); }) {}

  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      posted_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty())
        return;
      std::function<void()> work = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      work();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable posted_;
  std::deque<std::function<void()>> queue_;
  bool stop_ = false;
  std::thread thread_;
};

/// \p inner as an asynchronous operator: a call computes inner's forward
/// and completes with it before start() returns, or later on the
/// Completer's thread, depending on the input.
class AsyncLeaf : public AsyncOperator, public StructureDependency {
public:
  explicit AsyncLeaf(OperatorPtr inner)
      : AsyncOperator(inner->name(), inner->spec()), inner_(std::move(inner)) {}

  void start(const Record &inputs, Completion done) const override {
    auto finish = [inner = inner_, inputs,
                   done = std::make_shared<Completion>(std::move(done))] {
      done->complete_with([&] { return inner->forward(inputs); });
    };
    if (mix(digest(inputs)) % 2 == 0)
      finish();
    else
      Completer::global().post(std::move(finish));
  }

  std::vector<FieldDependency> structural_dependencies() const override {
    return every_output_from_every_input(spec());
  }

private:
  OperatorPtr inner_;
};

class Generator {
public:
  /// With \p faults_on, leaves inject faults while it is set.
  Generator(std::uint64_t seed, const RandomPipelineOptions &options,
            std::shared_ptr<std::atomic<bool>> faults_on)
      : rng_(seed), seed_(seed), options_(options),
        faults_on_(std::move(faults_on)) {
    // The order of field ids decides nothing eager does, but a plan that
    // went by it instead of declaration order would fail differently once
    // the names were interned in another order: intern them in one order,
    // whichever tests ran before.
    for (const char *name : {"x0", "x1", "x2", "out0", "out1", "out2", "out3"})
      static_cast<void>(FieldId(name));
  }

  /// A composite over inputs x0..x{inputs-1} (and, for \p root with user
  /// glue, a list `xs` and a record `doc`); \p depth bounds nesting.
  OperatorPtr composite(int inputs, int max_steps, int depth, bool root) {
    std::vector<Source> ints;
    for (int i = 0; i < inputs; ++i)
      ints.push_back(
          Source{-1, Path().field(FieldId("x" + std::to_string(i)))});
    Specification spec;
    for (std::size_t i : declaration_order(ints.size()))
      spec.input(ints[i].path.to_string(), Kind::Int);
    if (root && options_.user_glue) {
      spec.input("xs", Kind::List).input("doc", Kind::Record);
      static const char *const paths[] = {
          "xs[0]", "xs[1]", "xs[3]", "doc.n", "doc.items[0]", "doc.items[1]"};
      for (int i = uniform(rng_, 1, 3); i > 0; --i)
        ints.push_back(source(-1, paths[uniform(rng_, 0, 5)], false));
    }
    std::vector<Step> steps;
    int count = uniform(rng_, 1, max_steps);
    for (int i = 0; i < count; ++i)
      steps.push_back(step(static_cast<int>(steps.size()), ints, depth));
    std::vector<std::pair<std::string, Source>> outputs;
    std::vector<bool> declared_int;
    int outs = uniform(rng_, 1, options_.user_glue ? 4 : 3);
    for (int i = 0; i < outs; ++i) {
      const Source &source = pick(ints);
      outputs.emplace_back("out" + std::to_string(i), source);
      // Mostly as a careful author declares it: int where the source is
      // declared int, else any. Sometimes int regardless, which only a run
      // can check.
      declared_int.push_back(source.declared_int ||
                             uniform(rng_, 0, options_.user_glue ? 1 : 3) == 0);
    }
    for (std::size_t i : declaration_order(outputs.size()))
      spec.output(outputs[i].first, declared_int[i]
                                        ? std::optional<Kind>(Kind::Int)
                                        : std::nullopt);
    return std::make_shared<RandomComposite>("Random" + std::to_string(depth),
                                             std::move(spec), std::move(steps),
                                             std::move(outputs));
  }

  /// The call counters of the leaves made so far.
  std::vector<CallCount> take_leaf_calls() { return std::move(leaf_calls_); }
  /// Whether some leaf made so far is asynchronous.
  bool made_async() const { return made_async_; }

private:
  /// A source that is not a bool: the composite's inputs never are.
  const Source &pick(const std::vector<Source> &from) {
    while (true)
      if (const Source &source =
              from[uniform(rng_, 0, static_cast<int>(from.size()) - 1)];
          !source.is_bool)
        return source;
  }

  /// A cond's predicate: a bool when some step computed one, except, with
  /// user glue, now and then an int, which the cond rejects.
  Source pick_bool(const std::vector<Source> &from) {
    std::vector<Source> bools;
    for (const Source &source : from)
      if (source.is_bool)
        bools.push_back(source);
    if (bools.empty() || (options_.user_glue && uniform(rng_, 0, 7) == 0))
      return pick(from);
    return bools[uniform(rng_, 0, static_cast<int>(bools.size()) - 1)];
  }

  /// A source declared int: the composite's inputs always are.
  const Source &pick_declared_int(const std::vector<Source> &from) {
    while (true)
      if (const Source &source = pick(from); source.declared_int)
        return source;
  }

  /// The order in which to declare \p count fields: as made, or shuffled
  /// with user glue (eager validation names the first bad field in this
  /// order, not in the order of the field ids).
  std::vector<std::size_t> declaration_order(std::size_t count) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    if (options_.user_glue)
      std::shuffle(order.begin(), order.end(), rng_);
    return order;
  }

  /// The source at \p path of step \p index's result; with user glue, a
  /// path of several steps is sometimes walked from its first field.
  Source source(int index, const char *path, bool declared_int) {
    Source s{index, Path::parse(path), declared_int};
    s.from_field = options_.user_glue && s.path.steps().size() > 1 &&
                   uniform(rng_, 0, 1) == 0;
    return s;
  }

  StepKind draw_kind(int depth) {
    if (options_.control_flow && uniform(rng_, 0, 3) == 0)
      return static_cast<StepKind>(
          uniform(rng_, static_cast<int>(StepKind::Positive),
                  static_cast<int>(StepKind::Repeat)));
    int leaves = options_.user_glue ? 8 : 5;
    int choice = uniform(rng_, 0, depth > 0 ? leaves : leaves - 1);
    return choice == leaves ? StepKind::Composite
                            : static_cast<StepKind>(choice);
  }

  /// A fresh leaf of \p kind (not Ensemble or Composite), faulty when the
  /// pipeline has faults.
  OperatorPtr leaf(StepKind kind) {
    OperatorPtr op;
    switch (kind) {
    case StepKind::Affine:
      op = ops::affine(uniform(rng_, -2, 2), uniform(rng_, -9, 9));
      break;
    case StepKind::Binary: {
      static const ops::BinaryOp kinds[] = {ops::BinaryOp::Add,
                                            ops::BinaryOp::Sub};
      op = ops::binary(kinds[uniform(rng_, 0, 1)]);
      break;
    }
    case StepKind::Sum:
      op = sum_list();
      break;
    case StepKind::Pack:
      op = pack();
      break;
    case StepKind::Identity:
      op = ops::identity({"x"});
      break;
    case StepKind::Split:
      op = split();
      break;
    case StepKind::Loose:
      op = loose();
      break;
    case StepKind::Positive:
      op = positive();
      break;
    case StepKind::Ensemble:
    case StepKind::Composite:
    case StepKind::Cond:
    case StepKind::Switch:
    case StepKind::Fallback:
    case StepKind::Repeat:
      throw std::logic_error("random pipeline: a step of several calls is "
                             "not a leaf");
    }
    return wrapped(std::move(op));
  }

  /// \p op made faulty and asynchronous as the options say.
  OperatorPtr wrapped(OperatorPtr op) {
    if (faults_on_) {
      std::shared_ptr<CountedLeaf> counted =
          faulty(std::move(op), ++leaves_, faults_on_);
      leaf_calls_.push_back(counted->calls());
      op = std::move(counted);
    }
    // Decided without drawing from rng_, so the rest of the pipeline is the
    // one without asynchronous leaves.
    if (options_.async_leaves && mix(seed_ ^ (++async_candidates_ << 8)) % 2) {
      op = std::make_shared<AsyncLeaf>(std::move(op));
      made_async_ = true;
    }
    return op;
  }

  /// One step at position \p index; appends the int values it makes
  /// available to \p ints.
  Step step(int index, std::vector<Source> &ints, int depth) {
    auto out = [&](const char *path, bool declared_int) {
      ints.push_back(source(index, path, declared_int));
    };
    Step s;
    StepKind kind = draw_kind(depth);
    switch (kind) {
    case StepKind::Affine:
      s.op = leaf(kind);
      s.wires = {{"x", pick(ints)}};
      out("y", true);
      break;
    case StepKind::Binary:
      s.op = leaf(kind);
      s.wires = {{"a", pick(ints)}};
      if (uniform(rng_, 0, 3) == 0)
        s.constants = {{"b", uniform(rng_, -50, 50)}};
      else
        s.wires.emplace_back("b", pick(ints));
      out("y", true);
      break;
    case StepKind::Sum:
      s.op = leaf(kind);
      for (int i = uniform(rng_, 1, 4); i > 0; --i)
        s.list_items.push_back(pick(ints));
      out("y", true);
      break;
    case StepKind::Pack:
      s.op = leaf(kind);
      s.wires = {{"a", pick(ints)}, {"b", pick(ints)}};
      out("pair[0]", false);
      out("pair[1]", false);
      out("info.b", false);
      break;
    case StepKind::Identity:
      s.op = leaf(kind);
      s.wires = {{"x", pick(ints)}};
      out("x", false);
      break;
    case StepKind::Split: {
      s.op = leaf(kind);
      s.wires = {{"x", pick(ints)}};
      static const char *const paths[] = {"items[0]",      "items[1]",
                                          "items[2]",      "info.n",
                                          "info.items[0]", "info.items[1]"};
      out(paths[uniform(rng_, 0, 5)], false);
      out(paths[uniform(rng_, 0, 5)], false);
      break;
    }
    case StepKind::Loose:
      s.op = leaf(kind);
      s.wires = {{"x", pick(ints)}};
      out("a", false);
      out("b", false);
      out("c", false);
      break;
    case StepKind::Ensemble: {
      for (int i = uniform(rng_, 2, 3); i > 0; --i)
        s.members.push_back(leaf(StepKind::Affine));
      s.wires = {{"x", pick(ints)}};
      static const char *const paths[] = {"responses[0]", "responses[1]",
                                          "responses[2]", "responses[3]"};
      std::size_t size = s.members.size();
      for (std::size_t i = 0; i < size; ++i)
        out(paths[i], false);
      // Now and then one past the end, as a slip of the user's would be.
      if (uniform(rng_, 0, 7) == 0)
        out(paths[size], false);
      break;
    }
    case StepKind::Composite:
      s.op = composite(2, 4, depth - 1, false);
      // With pure routing its inputs are declared int: wiring anything
      // else would check them in the plan, which the outputs already
      // exercise. User glue wires anything.
      s.wires = {
          {"x0", options_.user_glue ? pick(ints) : pick_declared_int(ints)},
          {"x1", options_.user_glue ? pick(ints) : pick_declared_int(ints)}};
      for (const FieldSpec &field : s.op->spec().outputs())
        ints.push_back(
            Source{index, Path().field(field.id), field.kind == Kind::Int});
      if (options_.nested_jit && mix(seed_ ^ ++composites_) % 2 == 0)
        s.op = jit(s.op, *options_.nested_jit);
      break;
    case StepKind::Positive:
      s.op = leaf(kind);
      s.wires = {{"x", pick(ints)}};
      ints.push_back(source(index, "p", false));
      ints.back().is_bool = true;
      break;
    case StepKind::Cond:
      // Without a bool to choose by (and no user glue), a leaf's instead.
      if (!options_.user_glue &&
          std::none_of(ints.begin(), ints.end(),
                       [](const Source &source) { return source.is_bool; })) {
        s.op = leaf(StepKind::Affine);
        s.wires = {{"x", pick(ints)}};
        out("y", true);
        break;
      }
      s.op = ops::cond("p", leaf(StepKind::Affine), leaf(StepKind::Affine));
      s.wires = {{"p", pick_bool(ints)}, {"x", pick(ints)}};
      out("y", false);
      break;
    case StepKind::Switch: {
      int first = uniform(rng_, -3, 3);
      s.op = ops::switch_on("x",
                            {{first, leaf(StepKind::Affine)},
                             {first + uniform(rng_, 1, 3), leaf(StepKind::Affine)}},
                            leaf(StepKind::Affine));
      s.wires = {{"x", pick(ints)}};
      out("y", false);
      break;
    }
    case StepKind::Fallback:
      s.op = ops::fallback(wrapped(picky()), uniform(rng_, 0, 1)
                                                 ? wrapped(recover())
                                                 : leaf(StepKind::Affine));
      s.wires = {{"x", pick(ints)}};
      out("y", false);
      break;
    case StepKind::Repeat:
      s.op = ops::repeat_until(wrapped(halve()), "done", uniform(rng_, 1, 4));
      s.wires = {{"x", pick(ints)}};
      out("x", true);
      out("iterations", true);
      break;
    }
    if (options_.user_glue)
      s.guard = guard(kind, s);
    return s;
  }

  /// How the glue handles \p s's failure: in one step of two, a fallback,
  /// a retry with a second leaf of \p kind (a fallback when \p s calls
  /// more than a leaf), or a rethrow.
  Guard guard(StepKind kind, const Step &s) {
    Guard g;
    int choice = uniform(rng_, 0, 5);
    if (choice > 2)
      return g;
    g.catches_all = uniform(rng_, 0, 1) == 0;
    bool is_leaf = kind < StepKind::Ensemble || kind == StepKind::Positive;
    if (choice == 1 && is_leaf) {
      g.kind = Guard::Kind::Retry;
      g.retry = leaf(kind);
      return g;
    }
    g.kind = choice == 2 ? Guard::Kind::Rethrow : Guard::Kind::Fallback;
    g.covers_arguments = uniform(rng_, 0, 1) == 0;
    if (g.kind == Guard::Kind::Fallback)
      g.fallback = fallback(kind, s);
    return g;
  }

  /// A result of \p s's shape made of literals, marked xcs::constant or
  /// not (then the tracer cannot explain it, which keeps the composite
  /// opaque if it is used).
  Record fallback(StepKind kind, const Step &s) {
    bool marked = uniform(rng_, 0, 1) == 0;
    std::int64_t c = uniform(rng_, -50, 50);
    auto literal = [&](Value value) {
      return marked ? xcs::constant(std::move(value)) : value;
    };
    switch (kind) {
    case StepKind::Pack:
      return Record{
          {"pair", literal(Value::list({c, c + 1}))},
          {"info", literal(Value::record(Record{{"a", c}, {"b", c + 1}}))}};
    case StepKind::Split:
      return Record{{"items", literal(Value::list({c}))},
                    {"info", literal(Value::record(Record{
                                 {"n", 1}, {"items", Value::list({c})}}))}};
    case StepKind::Ensemble: {
      std::vector<Value> responses;
      for (std::size_t i = 0; i < s.members.size(); ++i)
        responses.emplace_back(c + static_cast<std::int64_t>(i));
      return Record{{"responses", literal(Value::list(std::move(responses)))}};
    }
    default: {
      Record result;
      for (const FieldSpec &field : s.op->spec().outputs())
        result.set(field.id, literal(c));
      return result;
    }
    }
  }

  Rng rng_;
  std::uint64_t seed_;
  RandomPipelineOptions options_;
  std::shared_ptr<std::atomic<bool>> faults_on_;
  /// Leaves made so far: numbers each faulty leaf.
  std::uint64_t leaves_ = 0;
  /// Nested composites made so far: picks those nested_jit wraps without
  /// drawing from rng_, so the rest of the pipeline is the one without.
  std::uint64_t composites_ = 0;
  /// Leaves made so far, numbering them for async_leaves.
  std::uint64_t async_candidates_ = 0;
  bool made_async_ = false;
  std::vector<CallCount> leaf_calls_;
};

} // namespace

CountedLeaf::CountedLeaf(std::string name, Specification spec,
                         std::function<Record(const Record &)> body)
    : Operator(std::move(name), std::move(spec)), body_(std::move(body)) {}

Record CountedLeaf::forward(const Record &inputs) const {
  calls_->fetch_add(1, std::memory_order_relaxed);
  return body_(inputs);
}

std::vector<FieldDependency> CountedLeaf::structural_dependencies() const {
  return every_output_from_every_input(spec());
}

Pipeline random_pipeline(std::uint64_t seed,
                         const RandomPipelineOptions &options) {
  Pipeline pipeline;
  Generator generator(seed, options,
                      options.faults ? pipeline.faults_on : nullptr);
  pipeline.op = generator.composite(3, options.max_steps, 2, true);
  pipeline.leaf_calls = generator.take_leaf_calls();
  pipeline.has_async_leaves = generator.made_async();
  Rng rng(seed ^ 0x5eedULL);
  for (int i = 0; i < 4; ++i) {
    Record input{{"x0", uniform(rng, -100, 100)},
                 {"x1", uniform(rng, -100, 100)},
                 {"x2", uniform(rng, -100, 100)}};
    if (options.user_glue) {
      // Lists of random lengths: a path to an item exists for some inputs.
      auto list = [&](int max_size) {
        std::vector<Value> items;
        for (int n = uniform(rng, 1, max_size); n > 0; --n)
          items.emplace_back(uniform(rng, -100, 100));
        return Value::list(std::move(items));
      };
      input.set("xs", list(5));
      input.set("doc", Value::record(Record{{"n", uniform(rng, 0, 9)},
                                            {"items", list(3)}}));
    }
    pipeline.inputs.push_back(std::move(input));
  }
  return pipeline;
}

} // namespace xcs::testing_util
