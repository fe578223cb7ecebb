#pragma once
// How a handler answers: exactly once, from any thread. Handlers that wait
// for the database keep a copy and call it when the work is done.

#include <atomic>
#include <functional>
#include <memory>

#include "http/message.hpp"

namespace leadgate::http {

class Responder {
 public:
  using Sink = std::function<void(Response)>;

  explicit Responder(Sink sink) : state_(std::make_shared<State>(std::move(sink))) {}

  // The first call is delivered; later calls are ignored, so an error path
  // racing a success path can never send two responses.
  void operator()(Response response) const {
    if (!state_->answered.exchange(true)) state_->sink(std::move(response));
  }

  bool answered() const { return state_->answered.load(); }

 private:
  struct State {
    explicit State(Sink s) : sink(std::move(s)) {}
    // A handler that lost every copy of its responder without answering is a
    // bug; the client still gets a 500 rather than a connection that hangs.
    ~State();
    Sink sink;
    std::atomic<bool> answered{false};
  };
  std::shared_ptr<State> state_;
};

}  // namespace leadgate::http
