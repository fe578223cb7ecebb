#pragma once
// Waiting in a coroutine for a value that another thread delivers through
// a callback (a database connection's thread, the group writer, the captcha
// client). The coroutine resumes on its own executor, never on the thread
// that delivered: that thread may hold a PostgreSQL connection, and what a
// handler does next (JSON, Mustache) is no work for it.

#include <coroutine>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "async/task.hpp"
#include "domain/error.hpp"

namespace leadgate::async {

// `start` receives a std::function<void(T)> to call exactly once, from any
// thread (also before start returns).
template <typename T, typename Start>
class CallbackAwaiter {
 public:
  explicit CallbackAwaiter(Start start) : start_(std::move(start)) {}

  bool await_ready() const noexcept { return false; }

  template <typename Promise>
  void await_suspend(std::coroutine_handle<Promise> caller) {
    const Executor* executor = caller.promise().executor;
    auto* slot = &value_;
    // Nothing of `this` may be touched once start_ ran: the value can
    // arrive, and the coroutine resume and destroy this awaiter, before
    // start_ returns.
    auto start = std::move(start_);
    start(std::function<void(T)>([slot, caller, executor](T value) {
      slot->emplace(std::move(value));
      (*executor)([caller] { caller.resume(); });
    }));
  }

  T await_resume() { return std::move(*value_); }

 private:
  Start start_;
  std::optional<T> value_;
};

template <typename T, typename Start>
CallbackAwaiter<T, Start> from_callback(Start start) {
  return CallbackAwaiter<T, Start>(std::move(start));
}

// A store outcome as a value or a thrown domain::Error.
template <typename T>
T value_or_throw(std::variant<T, domain::Error> outcome) {
  if (auto* error = std::get_if<domain::Error>(&outcome)) throw std::move(*error);
  return std::move(std::get<T>(outcome));
}

}  // namespace leadgate::async
