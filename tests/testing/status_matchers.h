// GoogleTest helpers for Status and Result<T>.
#pragma once

#include <gtest/gtest.h>

#include "silt/base/result.h"
#include "silt/base/status.h"

namespace silt::testing {
inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) { return r.status(); }
}  // namespace silt::testing

#define ASSERT_OK(expr)                                                     \
  do {                                                                      \
    ::silt::Status _st = ::silt::testing::StatusOf(expr);                   \
    ASSERT_TRUE(_st.ok()) << #expr << " failed: " << _st.ToString();        \
  } while (false)

#define EXPECT_OK(expr)                                                     \
  do {                                                                      \
    ::silt::Status _st = ::silt::testing::StatusOf(expr);                   \
    EXPECT_TRUE(_st.ok()) << #expr << " failed: " << _st.ToString();        \
  } while (false)

#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ASSERT_OK_AND_ASSIGN_IMPL(SILT_CONCAT(_silt_assert_result_, __COUNTER__), lhs, rexpr)
#define ASSERT_OK_AND_ASSIGN_IMPL(result_name, lhs, rexpr)                             \
  auto result_name = (rexpr);                                                          \
  ASSERT_TRUE(result_name.has_value()) << #rexpr << " failed: " << result_name.error(); \
  lhs = std::move(result_name).value()

// ASSERT_STATUS_CODE(kConflict, expr): expr's status has exactly that code.
#define ASSERT_STATUS_CODE(code_name, expr)                                            \
  do {                                                                                 \
    ::silt::Status _st = ::silt::testing::StatusOf(expr);                              \
    ASSERT_EQ(_st.code(), ::silt::StatusCode::code_name)                               \
        << #expr << " returned " << _st.ToString() << ", expected " << #code_name;     \
  } while (false)

#define EXPECT_STATUS_CODE(code_name, expr)                                            \
  do {                                                                                 \
    ::silt::Status _st = ::silt::testing::StatusOf(expr);                              \
    EXPECT_EQ(_st.code(), ::silt::StatusCode::code_name)                               \
        << #expr << " returned " << _st.ToString() << ", expected " << #code_name;     \
  } while (false)
