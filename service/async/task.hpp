#pragma once
// Task<T>: the one coroutine type of leadgate's handlers and stores. A task
// starts when it is awaited (or handed to async::start), and its caller
// resumes where the task finished, without a trip through a queue
// (symmetric transfer). Errors travel as exceptions: a domain::Error thrown
// in a store call leaves the handler that awaited it and reaches the router.
//
// Why not asio::awaitable: handlers and stores would then include Asio's
// templates, and every handler file would cost the compile time of
// server.cpp; unit tests would need an io_context. Task carries one thing
// from the server instead, the Executor its coroutines resume on after
// waiting for another thread.

#include <coroutine>
#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace leadgate::async {

// Runs a continuation where the coroutine belongs: the server posts it to
// the connection's strand; unit tests run it at once.
using Executor = std::function<void(std::function<void()>)>;

template <typename T>
class Task;

namespace detail {

struct PromiseBase {
  std::coroutine_handle<> continuation;
  // Inherited from the awaiting coroutine (set before this one starts).
  const Executor* executor = nullptr;
  std::exception_ptr error;

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
      auto next = self.promise().continuation;
      return next ? next : std::noop_coroutine();
    }
    void await_resume() noexcept {}
  };

  std::suspend_always initial_suspend() noexcept { return {}; }
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <typename U>
  void return_value(U&& result) {
    value.emplace(std::forward<U>(result));
  }
  T take() {
    if (error) std::rethrow_exception(error);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (error) std::rethrow_exception(error);
  }
};

}  // namespace detail

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  explicit Task(Handle handle) noexcept : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      if (handle_) handle_.destroy();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  // Awaiting a task starts it on the awaiting coroutine's executor.
  bool await_ready() const noexcept { return false; }
  template <typename CallerPromise>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<CallerPromise> caller) noexcept {
    handle_.promise().continuation = caller;
    handle_.promise().executor = caller.promise().executor;
    return handle_;
  }
  T await_resume() { return handle_.promise().take(); }

 private:
  Handle handle_;
};

namespace detail {

template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

// The coroutine async::start runs a task in: it starts at once, frees
// itself at the end, and gives its executor to the task it awaits.
struct Detached {
  struct promise_type {
    const Executor* executor;
    template <typename... Args>
    explicit promise_type(const Args&... args) : executor(find_executor(args...)) {}
    Detached get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    // start() catches everything before it could get here.
    void unhandled_exception() noexcept { std::terminate(); }

   private:
    template <typename First, typename... Rest>
    static const Executor* find_executor(const First& first, const Rest&... rest) {
      if constexpr (std::is_same_v<First, Executor>) {
        return &first;
      } else {
        return find_executor(rest...);
      }
    }
  };
};

}  // namespace detail

// Runs `task` to its end and hands its result (or its exception) to `done`,
// which is called exactly once, on `executor` or inline if the task never
// waited. The coroutine frame owns the executor, so it outlives every wait.
template <typename T, typename Done>
void start(Task<T> task, Executor executor, Done done) {
  [](Task<T> task, Executor executor, Done done) -> detail::Detached {
    (void)executor;  // referenced by the promise
    std::exception_ptr error;
    if constexpr (std::is_void_v<T>) {
      try {
        co_await std::move(task);
      } catch (...) {
        error = std::current_exception();
      }
      done(error);
    } else {
      std::optional<T> value;
      try {
        value.emplace(co_await std::move(task));
      } catch (...) {
        error = std::current_exception();
      }
      done(std::move(value), error);
    }
  }(std::move(task), std::move(executor), std::move(done));
}

}  // namespace leadgate::async
