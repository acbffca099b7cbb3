//===- target_tree.cpp - Building a record from parts ---------------------===//

#include "Graph/target_tree.h"

#include "xcs/graph.h"

namespace xcs::detail {
namespace {

std::string quoted(const Path &path) { return "'" + path.to_string() + "'"; }

std::string written_whole_and_in_parts(const Path &whole, const Path &part) {
  return "target " + quoted(whole) + " is written both whole and in parts (" +
         quoted(part) + ")";
}

std::size_t child_key(const Path::Step &step) {
  return step.is_index() ? step.index : step.field.index();
}

} // namespace

TargetTree::TargetTree() { parts_.push_back(Part{Shape::Record, {}, {}, {}}); }

std::optional<std::string> TargetTree::place(const Path &target, Value value) {
  if (target.empty())
    return "a target path is empty";
  if (target.steps().front().is_index())
    return "target " + quoted(target) + " does not start with a field name";
  std::size_t at = 0;
  for (const Path::Step &step : target.steps()) {
    Shape shape = step.is_index() ? Shape::List : Shape::Record;
    Part &part = parts_[at];
    if (part.shape == Shape::Whole)
      return written_whole_and_in_parts(part.path, target);
    if (part.shape != Shape::Unset && part.shape != shape)
      return "target " + quoted(part.path) +
             " is built both as a list and as a record (" + quoted(target) +
             ")";
    part.shape = shape;
    at = child(at, step); // Invalidates part.
  }
  Part &leaf = parts_[at];
  if (leaf.shape == Shape::Whole)
    return "target " + quoted(target) + " is written twice";
  if (leaf.shape != Shape::Unset)
    return written_whole_and_in_parts(target, some_leaf_below(at));
  leaf.shape = Shape::Whole;
  leaf.value = std::move(value);
  return std::nullopt;
}

std::size_t TargetTree::child(std::size_t parent, const Path::Step &step) {
  auto [it, inserted] =
      parts_[parent].children.try_emplace(child_key(step), parts_.size());
  if (inserted) {
    const Path &base = parts_[parent].path;
    Path path =
        step.is_index() ? base.index(step.index) : base.field(step.field);
    parts_.push_back(Part{Shape::Unset, std::move(path), {}, {}});
  }
  return it->second;
}

Path TargetTree::some_leaf_below(std::size_t at) const {
  while (parts_[at].shape != Shape::Whole)
    at = parts_[at].children.begin()->second;
  return parts_[at].path;
}

std::optional<std::string> TargetTree::first_gap() const {
  for (const Part &part : parts_) {
    if (part.shape != Shape::List)
      continue;
    std::size_t expected = 0;
    for (const auto &entry : part.children) {
      if (entry.first != expected)
        return "list " + quoted(part.path) + " has no element [" +
               std::to_string(expected) + "] (its parts reach [" +
               std::to_string(part.children.rbegin()->first) + "])";
      ++expected;
    }
  }
  return std::nullopt;
}

Record TargetTree::build() const { return record_of(0); }

Value TargetTree::value_of(std::size_t at) const {
  const Part &part = parts_[at];
  if (part.shape == Shape::Whole)
    return part.value;
  if (part.shape == Shape::Record)
    return Value::record(record_of(at));
  std::vector<Value> items;
  items.reserve(part.children.size());
  for (const auto &entry : part.children)
    items.push_back(value_of(entry.second));
  return Value::list(std::move(items));
}

Record TargetTree::record_of(std::size_t at) const {
  Record record;
  record.reserve(parts_[at].children.size());
  for (const auto &entry : parts_[at].children) {
    const Part &field = parts_[entry.second];
    record.set(field.path.steps().back().field, value_of(entry.second));
  }
  return record;
}

TargetTrees::TargetTrees() = default;
TargetTrees::~TargetTrees() = default;
TargetTrees::TargetTrees(const TargetTrees &) {}
TargetTrees &TargetTrees::operator=(const TargetTrees &other) {
  if (this != &other)
    trees_.clear();
  return *this;
}
TargetTrees::TargetTrees(TargetTrees &&) noexcept = default;
TargetTrees &TargetTrees::operator=(TargetTrees &&) noexcept = default;

TargetTree *TargetTrees::find(std::size_t node) const {
  return node < trees_.size() ? trees_[node].get() : nullptr;
}

void TargetTrees::keep(std::size_t node, std::unique_ptr<TargetTree> tree) {
  if (node >= trees_.size())
    trees_.resize(node + 1);
  trees_[node] = std::move(tree);
}

void TargetTrees::forget(std::size_t node) {
  if (node < trees_.size())
    trees_[node].reset();
}

} // namespace xcs::detail
