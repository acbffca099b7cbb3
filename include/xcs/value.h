//===- xcs/value.h - The dynamically typed value ----------------*- C++ -*-===//
///
/// \file
/// Value is what flows along the edges of an operator graph: null, bool,
/// int64, double, string, list, record, or an opaque user object. It is
/// 16 bytes, immutable and cheap to copy: scalars are stored inline, the heap
/// kinds (string, list, record, opaque) are shared and reference-counted, so
/// a copy of a heap value is the same object (identity()).
///
/// The spare bytes carry a provenance stamp used while tracing: which call
/// produced the value, at which path. Stamps never affect equality or hashing.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <vector>

namespace xcs {

class Record;

/// The kind of a Value.
enum class Kind : std::uint8_t {
  Null,
  Bool,
  Int,
  Double,
  String,
  List,
  Record,
  Opaque
};

/// "null", "bool", "int", "double", "string", "list", "record", "opaque".
std::string_view kind_name(Kind kind);

class Value;

namespace detail {
/// The kind of \p value without reporting a read to the tracer: for XCS's
/// own checks (specifications), which are not the glue inspecting data.
Kind unobserved_kind(const Value &value);
/// A symbol of xcs::jit's symbolic analysis (lib/Core/symbol.h): of kind
/// null to XCS's own machinery, and unreadable to any other code. \p tag and
/// \p stamp are not 0.
Value make_symbol(std::uint64_t tag, std::uint32_t stamp);
/// The tag of \p value if it is a symbol, else 0.
std::uint64_t symbol_tag(const Value &value);

/// Common header of the heap kinds. The count is intrusive so that a Value
/// holds one pointer, not a shared_ptr pair.
struct HeapObject {
  explicit HeapObject(Kind object_kind) : kind(object_kind) {}
  std::atomic<std::uint32_t> refs{1};
  Kind kind;
};
void destroy(HeapObject *object) noexcept;
} // namespace detail

class Value {
public:
  /// null.
  Value() noexcept { bits_.i = 0; }
  Value(std::nullptr_t) noexcept : Value() {}
  Value(bool b) noexcept : kind_(Kind::Bool) { bits_.b = b; }
  Value(int i) noexcept : kind_(Kind::Int) { bits_.i = i; }
  Value(long i) noexcept : kind_(Kind::Int) { bits_.i = i; }
  Value(long long i) noexcept : kind_(Kind::Int) { bits_.i = i; }
  Value(double d) noexcept : kind_(Kind::Double) { bits_.d = d; }
  Value(std::string_view s);
  Value(const char *s) : Value(std::string_view(s)) {}
  Value(std::string s);

  /// A list of \p items.
  static Value list(std::vector<Value> items);
  /// A record value holding \p record.
  static Value record(Record record);
  /// An opaque user object. \p type_tag names its type in messages and dumps.
  template <typename T>
  static Value opaque(std::shared_ptr<T> object, std::string type_tag) {
    return make_opaque(std::static_pointer_cast<void>(std::move(object)),
                       typeid(T), std::move(type_tag));
  }

  Value(const Value &other) noexcept
      : bits_(other.bits_), kind_(other.kind_), stamp_(other.stamp_) {
    if (is_heap())
      bits_.h->refs.fetch_add(1, std::memory_order_relaxed);
  }
  Value(Value &&other) noexcept
      : bits_(other.bits_), kind_(other.kind_), stamp_(other.stamp_) {
    other.kind_ = Kind::Null;
    other.bits_.i = 0;
  }
  Value &operator=(const Value &other) noexcept {
    Value copy(other);
    swap(copy);
    return *this;
  }
  Value &operator=(Value &&other) noexcept {
    Value moved(std::move(other));
    swap(moved);
    return *this;
  }
  ~Value() {
    if (is_heap() &&
        bits_.h->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
      detail::destroy(bits_.h);
  }
  void swap(Value &other) noexcept {
    std::swap(bits_, other.bits_);
    std::swap(kind_, other.kind_);
    std::swap(stamp_, other.stamp_);
  }

  /// The kind. Like every accessor that reveals content, reading it from a
  /// stamped value is reported to the tracer (see trace.h).
  Kind kind() const {
    if (stamp_ != 0) [[unlikely]]
      observe("kind");
    return kind_;
  }
  bool is_null() const { return kind() == Kind::Null; }
  bool is_bool() const { return kind() == Kind::Bool; }
  bool is_int() const { return kind() == Kind::Int; }
  bool is_double() const { return kind() == Kind::Double; }
  bool is_string() const { return kind() == Kind::String; }
  bool is_list() const { return kind() == Kind::List; }
  bool is_record() const { return kind() == Kind::Record; }
  bool is_opaque() const { return kind() == Kind::Opaque; }

  /// Accessors throw InputError naming the expected and the actual kind.
  bool as_bool() const;
  std::int64_t as_int() const;
  /// Accepts int as well as double (an int is a number).
  double as_double() const;
  std::string_view as_string() const;
  std::span<const Value> as_list() const;
  const Record &as_record() const;
  /// The opaque object as T; throws InputError if it is not opaque or holds
  /// another type.
  template <typename T> std::shared_ptr<T> as_opaque() const {
    return std::static_pointer_cast<T>(opaque_object(typeid(T)));
  }
  /// The type tag given to opaque().
  std::string_view opaque_tag() const;

  /// The shared heap object for heap kinds, nullptr for scalars. Two values
  /// with the same identity are copies of one object.
  const void *identity() const {
    if (stamp_ != 0) [[unlikely]]
      observe("identity");
    return is_heap() ? bits_.h : nullptr;
  }

  /// Deep, kind-strict equality (1 != 1.0); NaN equals NaN so that equality
  /// agrees with hash().
  friend bool operator==(const Value &a, const Value &b);
  /// Deep hash consistent with ==.
  std::size_t hash() const;
  /// Human-readable form: JSON-like, opaque values as <opaque TAG>.
  std::string to_string() const;

  /// Provenance stamp (0 = none). Used by the tracer; copies keep it.
  std::uint32_t stamp() const { return stamp_; }
  /// A copy of this value carrying \p stamp. A symbol of xcs::jit's
  /// analysis keeps its stamp when given none, so that it stays unreadable.
  Value with_stamp(std::uint32_t stamp) const {
    Value copy(*this);
    if (stamp != 0 || !is_symbol())
      copy.stamp_ = stamp;
    return copy;
  }

private:
  friend Kind detail::unobserved_kind(const Value &value);
  friend Value detail::make_symbol(std::uint64_t tag, std::uint32_t stamp);
  friend std::uint64_t detail::symbol_tag(const Value &value);
  bool is_heap() const { return kind_ >= Kind::String; }
  /// A null never has bits set, a symbol always has: its tag.
  bool is_symbol() const { return kind_ == Kind::Null && bits_.i != 0; }
  static Value make_opaque(std::shared_ptr<void> object,
                           const std::type_info &type, std::string type_tag);
  std::shared_ptr<void> opaque_object(const std::type_info &type) const;
  explicit Value(detail::HeapObject *object) noexcept : kind_(object->kind) {
    bits_.h = object;
  }
  [[noreturn]] void throw_kind(Kind expected) const;
  /// Reports a read of a stamped value's content to the tracer; throws for
  /// a symbol, unless XCS's own machinery reads it.
  void observe(const char *what) const;
  /// Throws unless kind_ is \p expected; reports the read when stamped.
  void expect(Kind expected, const char *what) const {
    if (stamp_ != 0) [[unlikely]]
      observe(what);
    if (kind_ != expected) [[unlikely]]
      throw_kind(expected);
  }

  union {
    bool b;
    std::int64_t i;
    double d;
    detail::HeapObject *h;
  } bits_;
  Kind kind_ = Kind::Null;
  std::uint32_t stamp_ = 0;
};

static_assert(sizeof(Value) == 16, "Value must stay 16 bytes");

inline Kind detail::unobserved_kind(const Value &value) { return value.kind_; }

inline Value detail::make_symbol(std::uint64_t tag, std::uint32_t stamp) {
  Value symbol;
  symbol.bits_.i = static_cast<std::int64_t>(tag);
  symbol.stamp_ = stamp;
  return symbol;
}

inline std::uint64_t detail::symbol_tag(const Value &value) {
  return value.is_symbol() ? static_cast<std::uint64_t>(value.bits_.i) : 0;
}

/// Writes value.to_string().
std::ostream &operator<<(std::ostream &os, const Value &value);

} // namespace xcs

template <> struct std::hash<xcs::Value> {
  std::size_t operator()(const xcs::Value &v) const { return v.hash(); }
};
