// Status: the error model of silt. Errors are values; our code never throws.
// A Status is either OK or carries a code, a message and a retryable() flag (as RocksDB's
// IOStatus): retry logic branches on retryable(), never on the message text.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace silt {

enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kConflict,
  kCorruption,
  kIOError,
  kUnsupported,
  kCancelled,
  kResourceExhausted,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status; costs one null pointer.
  Status() noexcept = default;
  Status(StatusCode code, std::string message, bool retryable = false);

  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }

#define SILT_STATUS_FACTORY(Name)                                                  \
  template <typename... Args>                                                      \
  static Status Name(fmt::format_string<Args...> format, Args&&... args) {         \
    return Status(StatusCode::k##Name, fmt::format(format, std::forward<Args>(args)...)); \
  }
  SILT_STATUS_FACTORY(InvalidArgument)
  SILT_STATUS_FACTORY(NotFound)
  SILT_STATUS_FACTORY(AlreadyExists)
  SILT_STATUS_FACTORY(Conflict)
  SILT_STATUS_FACTORY(Corruption)
  SILT_STATUS_FACTORY(IOError)
  SILT_STATUS_FACTORY(Unsupported)
  SILT_STATUS_FACTORY(Cancelled)
  SILT_STATUS_FACTORY(ResourceExhausted)
  SILT_STATUS_FACTORY(Internal)
#undef SILT_STATUS_FACTORY

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  // Empty for OK.
  const std::string& message() const;
  // True when the same call may succeed if tried again (a timeout, HTTP 503, a lost race).
  bool retryable() const { return !ok() && state_->retryable; }

  bool IsNotFound() const { return code() == StatusCode::kNotFound; }
  bool IsAlreadyExists() const { return code() == StatusCode::kAlreadyExists; }
  bool IsConflict() const { return code() == StatusCode::kConflict; }
  bool IsCorruption() const { return code() == StatusCode::kCorruption; }
  bool IsUnsupported() const { return code() == StatusCode::kUnsupported; }

  // A copy of this status with the retryable flag set as given. No-op on OK.
  Status WithRetryable(bool retryable) const;
  // A copy whose message is "<context>: <message>". No-op on OK.
  Status WithContext(std::string_view context) const;

  // "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  // Spells out that an error is dropped on purpose, so that it can be found.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    StatusCode code;
    bool retryable;
    std::string message;
  };
  std::unique_ptr<State> state_;
};

std::ostream& operator<<(std::ostream& os, const Status& status);

}  // namespace silt

// Returns from the enclosing function when `expr` (a Status or Result) is not OK.
#define SILT_RETURN_NOT_OK(expr)                                    \
  do {                                                              \
    ::silt::Status _silt_status = ::silt::internal::ToStatus(expr); \
    if (!_silt_status.ok()) return _silt_status;                    \
  } while (false)

namespace silt::internal {
inline const Status& ToStatus(const Status& s) { return s; }
inline Status ToStatus(Status&& s) { return std::move(s); }
}  // namespace silt::internal
