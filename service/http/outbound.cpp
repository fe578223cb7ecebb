#include "http/outbound.hpp"

#include <curl/curl.h>

#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include "log/log.hpp"

namespace leadgate::http {

namespace {

// One call in flight: the easy handle and what it has read so far.
struct Call {
  OutboundRequest request;
  OutboundClient::Done done;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy{nullptr, curl_easy_cleanup};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers{nullptr, curl_slist_free_all};
  std::string answer;
  bool too_large = false;
};

// A callback that throws must not end the process from the client's thread.
void answer(const OutboundClient::Done& done, std::optional<OutboundAnswer> result) {
  try {
    done(std::move(result));
  } catch (const std::exception& error) {
    log::error("outbound_callback_failed", {{"detail", error.what()}});
  }
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* call = static_cast<Call*>(user);
  if (call->answer.size() + size * count > call->request.max_answer_bytes) {
    call->too_large = true;
    return 0;  // curl ends the transfer with CURLE_WRITE_ERROR
  }
  call->answer.append(data, size * count);
  return size * count;
}

}  // namespace

struct OutboundClient::State {
  explicit State(std::size_t limit) : max_in_flight(limit), multi(curl_multi_init(), curl_multi_cleanup) {}

  void run();
  void start_waiting_calls();
  void finish(CURL* easy, CURLcode result);

  const std::size_t max_in_flight;
  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi;
  std::mutex mutex;
  std::deque<std::unique_ptr<Call>> waiting;  // guarded by mutex
  std::size_t in_flight = 0;                  // guarded by mutex: waiting or running
  bool stopping = false;                      // guarded by mutex
  std::list<std::unique_ptr<Call>> running;   // the client thread's own
  std::thread thread;
};

OutboundClient::OutboundClient(std::size_t max_in_flight) : state_(std::make_unique<State>(max_in_flight)) {
  state_->thread = std::thread([state = state_.get()] { state->run(); });
}

OutboundClient::~OutboundClient() { stop(); }

void OutboundClient::stop() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  curl_multi_wakeup(state_->multi.get());
  if (state_->thread.joinable()) state_->thread.join();
}

void OutboundClient::post(OutboundRequest request, Done done) {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->stopping && state_->in_flight < state_->max_in_flight) {
      ++state_->in_flight;
      auto call = std::make_unique<Call>();
      call->request = std::move(request);
      call->done = std::move(done);
      state_->waiting.push_back(std::move(call));
      curl_multi_wakeup(state_->multi.get());
      return;
    }
  }
  done(std::nullopt);
}

void OutboundClient::State::run() {
  while (true) {
    start_waiting_calls();
    int active = 0;
    curl_multi_perform(multi.get(), &active);
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &left)) {
      if (message->msg == CURLMSG_DONE) finish(message->easy_handle, message->data.result);
    }
    {
      std::lock_guard lock(mutex);
      if (stopping) break;
    }
    // Wakes for network activity, a new call (curl_multi_wakeup) or curl's
    // own next timeout, whichever is first.
    curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
  }
  // What is still in flight is dropped unanswered: the server has drained
  // its requests before the client goes, and whatever still waits would
  // resume on an executor that no longer exists.
  for (auto& call : running) curl_multi_remove_handle(multi.get(), call->easy.get());
}

void OutboundClient::State::start_waiting_calls() {
  std::deque<std::unique_ptr<Call>> starting;
  {
    std::lock_guard lock(mutex);
    starting.swap(waiting);
  }
  for (auto& call : starting) {
    call->easy.reset(curl_easy_init());
    CURL* easy = call->easy.get();
    if (easy == nullptr) {
      {
        std::lock_guard lock(mutex);
        --in_flight;
      }
      answer(call->done, std::nullopt);
      continue;
    }
    for (const auto& header : call->request.headers) {
      call->headers.reset(curl_slist_append(call->headers.release(), header.c_str()));
    }
    curl_easy_setopt(easy, CURLOPT_URL, call->request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, call->request.body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(call->request.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, call->headers.get());
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, call.get());
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(call->request.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_multi_add_handle(multi.get(), easy);
    running.push_back(std::move(call));
  }
}

void OutboundClient::State::finish(CURL* easy, CURLcode result) {
  curl_multi_remove_handle(multi.get(), easy);
  for (auto it = running.begin(); it != running.end(); ++it) {
    if ((*it)->easy.get() != easy) continue;
    auto call = std::move(*it);
    running.erase(it);
    {
      std::lock_guard lock(mutex);
      --in_flight;
    }
    if (result != CURLE_OK || call->too_large) {
      answer(call->done, std::nullopt);
      return;
    }
    OutboundAnswer reply;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
    reply.body = std::move(call->answer);
    answer(call->done, std::move(reply));
    return;
  }
}

}  // namespace leadgate::http
