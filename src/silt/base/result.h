// Result<T>: a value or a non-OK Status, shaped like std::expected<T, Status> so that moving to
// C++23 is mechanical (has_value, value, error, operator*, operator->), plus Arrow-style
// ok()/status()/ValueOrDie() for readability at call sites.
#pragma once

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "silt/base/status.h"

namespace silt {

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<T, Status>, "Result<Status> is not allowed");

 public:
  // Implicit from a value and from an error Status, so `return value;` and `return status;` work.
  Result(T value) : storage_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : storage_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(storage_).ok()) {
      storage_ = Status::Internal("Result constructed from an OK status without a value");
    }
  }
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U&&, T> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status>>>
  Result(U&& value) : storage_(T(std::forward<U>(value))) {}  // NOLINT

  bool has_value() const { return storage_.index() == 1; }
  bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  // OK when a value is held.
  Status status() const { return has_value() ? Status() : std::get<Status>(storage_); }
  const Status& error() const& { return std::get<Status>(storage_); }

  // Precondition: has_value(). Aborts otherwise (a programmer error, never an input error).
  T& value() & { CheckValue(); return std::get<T>(storage_); }
  const T& value() const& { CheckValue(); return std::get<T>(storage_); }
  T&& value() && { CheckValue(); return std::get<T>(std::move(storage_)); }
  T ValueOrDie() && { return std::move(*this).value(); }
  T value_or(T fallback) const& { return has_value() ? std::get<T>(storage_) : fallback; }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void CheckValue() const {
    if (!has_value()) {
      fmt::print(stderr, "Result::value() on an error: {}\n", std::get<Status>(storage_).ToString());
      std::abort();
    }
  }
  std::variant<Status, T> storage_;
};

namespace internal {
template <typename T>
Status ToStatus(const Result<T>& r) { return r.status(); }
}  // namespace internal

}  // namespace silt

#define SILT_CONCAT_IMPL(a, b) a##b
#define SILT_CONCAT(a, b) SILT_CONCAT_IMPL(a, b)

// `SILT_ASSIGN_OR_RETURN(auto x, MakeX());` declares/assigns x, or returns the error.
#define SILT_ASSIGN_OR_RETURN(lhs, rexpr) \
  SILT_ASSIGN_OR_RETURN_IMPL(SILT_CONCAT(_silt_result_, __COUNTER__), lhs, rexpr)
#define SILT_ASSIGN_OR_RETURN_IMPL(result_name, lhs, rexpr) \
  auto result_name = (rexpr);                               \
  if (!result_name.has_value()) return result_name.error(); \
  lhs = std::move(result_name).value()
