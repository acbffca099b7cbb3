//===- value.cpp - The dynamically typed value ----------------------------===//

#include "xcs/value.h"

#include "Core/hash.h"
#include "Core/observation.h"
#include "Core/symbol.h"
#include "xcs/error.h"
#include "xcs/record.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>

namespace xcs {
namespace detail {
namespace {

struct StringObject : HeapObject {
  explicit StringObject(std::string s)
      : HeapObject(Kind::String), text(std::move(s)) {}
  std::string text;
};

struct ListObject : HeapObject {
  explicit ListObject(std::vector<Value> v)
      : HeapObject(Kind::List), items(std::move(v)) {}
  std::vector<Value> items;
};

struct RecordObject : HeapObject {
  explicit RecordObject(Record r) : HeapObject(Kind::Record), record(std::move(r)) {}
  Record record;
};

struct OpaqueObject : HeapObject {
  OpaqueObject(std::shared_ptr<void> o, const std::type_info &t, std::string tag)
      : HeapObject(Kind::Opaque), object(std::move(o)), type(t),
        tag(std::move(tag)) {}
  std::shared_ptr<void> object;
  const std::type_info &type;
  std::string tag;
};

template <typename T> const T &as(const HeapObject *object) {
  return *static_cast<const T *>(object);
}

} // namespace

void destroy(HeapObject *object) noexcept {
  switch (object->kind) {
  case Kind::String:
    delete static_cast<StringObject *>(object);
    return;
  case Kind::List:
    delete static_cast<ListObject *>(object);
    return;
  case Kind::Record:
    delete static_cast<RecordObject *>(object);
    return;
  case Kind::Opaque:
    delete static_cast<OpaqueObject *>(object);
    return;
  case Kind::Null:
  case Kind::Bool:
  case Kind::Int:
  case Kind::Double:
    // Held inline, never on the heap.
    return;
  }
}

} // namespace detail

using detail::as;

std::string_view kind_name(Kind kind) {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return "bool";
  case Kind::Int:
    return "int";
  case Kind::Double:
    return "double";
  case Kind::String:
    return "string";
  case Kind::List:
    return "list";
  case Kind::Record:
    return "record";
  case Kind::Opaque:
    return "opaque";
  }
  return "unknown";
}

Value::Value(std::string_view s) : Value(std::string(s)) {}

Value::Value(std::string s)
    : Value(static_cast<detail::HeapObject *>(
          new detail::StringObject(std::move(s)))) {}

Value Value::list(std::vector<Value> items) {
  return Value(new detail::ListObject(std::move(items)));
}

Value Value::record(Record record) {
  return Value(new detail::RecordObject(std::move(record)));
}

Value Value::make_opaque(std::shared_ptr<void> object,
                         const std::type_info &type, std::string type_tag) {
  if (!object)
    throw InputError("opaque value of type '" + type_tag + "' is null");
  return Value(
      new detail::OpaqueObject(std::move(object), type, std::move(type_tag)));
}

void Value::observe(const char *what) const {
  if (detail::observation_paused())
    return;
  if (is_symbol())
    detail::on_symbol_read(*this, what);
  detail::on_stamped_read(*this, what);
}

void Value::throw_kind(Kind expected) const {
  // XCS's own reads may reach a symbol: it is not the null it looks like.
  if (is_symbol())
    detail::on_symbol_read(*this, "a read of its kind");
  throw InputError("expected a value of kind " +
                   std::string(kind_name(expected)) + ", got " +
                   std::string(kind_name(kind_)));
}

bool Value::as_bool() const {
  expect(Kind::Bool, "as_bool");
  return bits_.b;
}

std::int64_t Value::as_int() const {
  expect(Kind::Int, "as_int");
  return bits_.i;
}

double Value::as_double() const {
  if (kind_ == Kind::Int) {
    if (stamp_ != 0)
      observe("as_double");
    return static_cast<double>(bits_.i);
  }
  expect(Kind::Double, "as_double");
  return bits_.d;
}

std::string_view Value::as_string() const {
  expect(Kind::String, "as_string");
  return as<detail::StringObject>(bits_.h).text;
}

std::span<const Value> Value::as_list() const {
  expect(Kind::List, "as_list");
  return as<detail::ListObject>(bits_.h).items;
}

const Record &Value::as_record() const {
  expect(Kind::Record, "as_record");
  return as<detail::RecordObject>(bits_.h).record;
}

std::string_view Value::opaque_tag() const {
  expect(Kind::Opaque, "opaque_tag");
  return as<detail::OpaqueObject>(bits_.h).tag;
}

std::shared_ptr<void> Value::opaque_object(const std::type_info &type) const {
  expect(Kind::Opaque, "as_opaque");
  const auto &object = as<detail::OpaqueObject>(bits_.h);
  if (object.type != type)
    throw InputError("opaque value of type '" + object.tag +
                     "' does not hold the requested C++ type");
  return object.object;
}

namespace {

bool same_double(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

} // namespace

bool operator==(const Value &a, const Value &b) {
  if (a.stamp_ != 0)
    a.observe("==");
  if (b.stamp_ != 0)
    b.observe("==");
  if (a.kind_ != b.kind_)
    return false;
  switch (a.kind_) {
  case Kind::Null:
    return true;
  case Kind::Bool:
    return a.bits_.b == b.bits_.b;
  case Kind::Int:
    return a.bits_.i == b.bits_.i;
  case Kind::Double:
    return same_double(a.bits_.d, b.bits_.d);
  case Kind::String:
  case Kind::List:
  case Kind::Record:
  case Kind::Opaque:
    break;
  }
  if (a.bits_.h == b.bits_.h)
    return true;
  switch (a.kind_) {
  case Kind::String:
    return a.as_string() == b.as_string();
  case Kind::List: {
    auto x = a.as_list(), y = b.as_list();
    return std::equal(x.begin(), x.end(), y.begin(), y.end());
  }
  case Kind::Record:
    return a.as_record() == b.as_record();
  case Kind::Opaque:
    // Opaque objects are equal when they share the same user object.
    return as<detail::OpaqueObject>(a.bits_.h).object ==
           as<detail::OpaqueObject>(b.bits_.h).object;
  case Kind::Null:
  case Kind::Bool:
  case Kind::Int:
  case Kind::Double:
    break; // Compared above.
  }
  return false;
}

std::size_t Value::hash() const {
  if (stamp_ != 0)
    observe("hash");
  std::size_t seed = static_cast<std::size_t>(kind_);
  switch (kind_) {
  case Kind::Null:
    return seed;
  case Kind::Bool:
    return detail::hash_combine(seed, bits_.b);
  case Kind::Int:
    return detail::hash_combine(seed, std::hash<std::int64_t>()(bits_.i));
  case Kind::Double: {
    // Equal doubles must hash equally: fold -0.0 into 0.0 and all NaNs.
    double d = bits_.d == 0.0 ? 0.0 : bits_.d;
    std::uint64_t bits = std::isnan(d) ? 0x7ff8000000000000ULL
                                       : std::bit_cast<std::uint64_t>(d);
    return detail::hash_combine(seed, std::hash<std::uint64_t>()(bits));
  }
  case Kind::String:
    return detail::hash_combine(seed,
                                std::hash<std::string_view>()(as_string()));
  case Kind::List:
    for (const Value &item : as_list())
      seed = detail::hash_combine(seed, item.hash());
    return seed;
  case Kind::Record:
    return detail::hash_combine(seed, as_record().hash());
  case Kind::Opaque:
    return detail::hash_combine(
        seed, std::hash<const void *>()(
                  as<detail::OpaqueObject>(bits_.h).object.get()));
  }
  return seed;
}

} // namespace xcs
