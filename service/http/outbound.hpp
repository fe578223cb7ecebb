#pragma once
// Outgoing HTTP calls that a request waits for (the captcha provider today,
// a spam engine tomorrow), made concurrently on one thread with libcurl's
// multi interface. Each call is bounded in time and in the size of its
// answer, so one slow or hostile peer delays only the requests that wait
// for it, never the ones queued behind it, and never an I/O thread.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace leadgate::http {

struct OutboundRequest {
  std::string url;
  std::string body;                  // sent as a POST
  std::vector<std::string> headers;  // "Name: value"
  std::chrono::milliseconds timeout{5000};
  std::size_t max_answer_bytes = 64 * 1024;
};

struct OutboundAnswer {
  long status = 0;
  std::string body;
};

class OutboundClient {
 public:
  // `done` gets the answer, or nothing when the peer could not be reached,
  // took longer than the request's timeout or answered too much. It runs on
  // the client's thread (or at once, when the client is full or stopping),
  // exactly once, unless the client is destroyed first.
  using Done = std::function<void(std::optional<OutboundAnswer>)>;

  explicit OutboundClient(std::size_t max_in_flight = 1000);
  ~OutboundClient();

  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  void post(OutboundRequest request, Done done);

  // Ends the calls in flight without answering them and joins the thread.
  // `serve` calls it before its server and io_context go: a late answer
  // must not resume a coroutine on an executor that no longer exists.
  // Idempotent; the destructor calls it.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace leadgate::http
