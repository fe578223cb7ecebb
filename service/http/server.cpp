// The only translation unit with Beast and Asio templates: keeping them here
// keeps rebuilds on two cores quick.

#include "http/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "async/task.hpp"
#include "domain/ids.hpp"
#include "http/client_address.hpp"
#include "http/problem.hpp"
#include "log/log.hpp"

namespace leadgate::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

Method to_method(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get: return Method::get;
    case bhttp::verb::head: return Method::head;
    case bhttp::verb::post: return Method::post;
    case bhttp::verb::put: return Method::put;
    case bhttp::verb::patch: return Method::patch;
    case bhttp::verb::delete_: return Method::delete_;
    case bhttp::verb::options: return Method::options;
    default: return Method::other;
  }
}

// RFC 9112: what leaves a request's target or framing ambiguous is refused
// before its body is read, and the connection closed after the answer.
// Beast would read a body whose only coding is not chunked up to the end of
// the connection, and a second request could hide inside it (§6.3); an
// HTTP/1.1 request names exactly one Host (§3.2).
std::optional<domain::Error> ambiguity(const bhttp::request_header<>& header) {
  auto bad = [](std::string detail) { return domain::Error(domain::ErrorKind::bad_request, std::move(detail)); };
  if (header.version() >= 11 && header.count(bhttp::field::host) != 1) {
    return bad("An HTTP/1.1 request needs exactly one Host header.");
  }
  auto codings = header.count(bhttp::field::transfer_encoding);
  if (codings == 0) return std::nullopt;
  if (codings > 1 || header.version() < 11 ||
      !beast::iequals(header[bhttp::field::transfer_encoding], "chunked")) {
    return bad("Transfer-Encoding, when sent, must be exactly \"chunked\".");
  }
  return std::nullopt;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A process-unique request id: a random prefix (so two processes' ids
// differ in a merged log) and a counter, in hex.
std::string next_request_id() {
  static const std::string prefix = domain::random_hex(4);
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("{}-{:x}", prefix, counter.fetch_add(1, std::memory_order_relaxed));
}

// Copies what handlers need out of Beast's message; the body is moved.
// `peer` is the socket's address; the client is resolved from it and
// X-Forwarded-For through `trusted_proxies`.
Request to_request(bhttp::request_header<>& header, std::string body, const std::string& peer,
                   const Networks& trusted_proxies) {
  Request request;
  request.method = to_method(header.method());
  request.target = std::string(header.target());
  request.headers.reserve(16);
  for (const auto& field : header) {
    request.headers.push_back(Header{lower(field.name_string()), std::string(field.value())});
  }
  request.body = std::move(body);
  request.client_address = client_address(peer, request.combined_header("x-forwarded-for"), trusted_proxies);
  request.id = next_request_id();
  return request;
}

// Awaits a value delivered through a callback from any thread (a handler's
// answer, the next chunk of a streamed body): `start` receives the callback,
// and the value is posted back to this session's strand before the
// coroutine resumes.
template <typename Value, typename Start>
auto async_callback(Start start) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(Value)>(
      [start = std::move(start)](auto handler) mutable {
        using Handler = decltype(handler);
        auto executor = asio::get_associated_executor(handler);
        // Keeps run() from returning while the value is still on its way.
        auto work = asio::make_work_guard(executor);
        auto pending = std::make_shared<Handler>(std::move(handler));
        start([pending, executor, work](Value value) mutable {
          asio::post(executor, [pending, value = std::move(value)]() mutable { (*pending)(std::move(value)); });
          work.reset();
        });
      },
      asio::use_awaitable);
}

// An async::Executor that runs continuations on `executor` (a session's
// strand), keeping the io_context busy until they ran.
async::Executor on_strand(asio::any_io_executor executor) {
  return [executor](std::function<void()> continuation) {
    asio::post(executor, [work = asio::make_work_guard(executor), continuation = std::move(continuation)] {
      continuation();
    });
  };
}

}  // namespace

// A connection as the drain step sees it; touched only on the session's strand.
struct SessionEntry {
  asio::any_io_executor executor;       // the session's strand
  beast::tcp_stream* stream = nullptr;  // null once the session has ended
  bool busy = false;                    // between a request's first byte and its response
};

struct Server::Impl {
  Impl(ServerOptions o, const Router& r, metrics::Metrics& m, Lifecycle& l)
      : options(std::move(o)), router(r), metrics(m), lifecycle(l),
        trusted_proxies(options.trusted_proxies), io(std::max(1, options.threads)), acceptor(io),
        signals(io, SIGINT, SIGTERM) {}

  ServerOptions options;
  const Router& router;
  metrics::Metrics& metrics;
  Lifecycle& lifecycle;
  Networks trusted_proxies;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<int> open_connections{0};
  std::mutex sessions_mutex;
  std::unordered_set<std::shared_ptr<SessionEntry>> sessions;

  asio::awaitable<void> accept_connections();
  asio::awaitable<void> refuse(tcp::socket socket);
  asio::awaitable<void> serve_connection(tcp::socket socket);
  asio::awaitable<void> drain_on_signal();
  asio::awaitable<bool> write(beast::tcp_stream& stream, Response response, bool keep_alive, bool head);
  asio::awaitable<bool> write_streamed(beast::tcp_stream& stream, Response response, bool keep_alive, bool head);
  void finish(const Request& request, int status, Clock::time_point started);
};

asio::awaitable<void> Server::Impl::accept_connections() {
  while (true) {
    auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
    if (error) {
      if (!acceptor.is_open()) co_return;
      // Out of file descriptors or similar: pause rather than spin.
      log::warn("accept_failed", {{"detail", error.message()}});
      asio::steady_timer pause(io, std::chrono::milliseconds(100));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    if (open_connections.load() >= options.max_connections) {
      asio::co_spawn(socket.get_executor(), refuse(std::move(socket)), asio::detached);
      continue;
    }
    ++open_connections;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, serve_connection(std::move(socket)), [this](std::exception_ptr failure) {
      --open_connections;
      if (failure) {
        try {
          std::rethrow_exception(failure);
        } catch (const std::exception& error) {
          log::error("session_failed", {{"detail", error.what()}});
        }
      }
    });
  }
}

// Over the connection limit: a short 503 instead of silence, so well-behaved
// clients back off.
asio::awaitable<void> Server::Impl::refuse(tcp::socket socket) {
  static constexpr std::string_view busy =
      "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  co_await asio::async_write(socket, asio::buffer(busy), use_tuple);
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
}

void Server::Impl::finish(const Request& request, int status, Clock::time_point started) {
  auto elapsed = Clock::now() - started;
  metrics.observe_request(request.route, status, elapsed);
  log::request({request.id, to_string(request.method), request.path(), request.route, status,
                std::chrono::duration<double, std::milli>(elapsed).count(), request.client_address});
}

asio::awaitable<bool> Server::Impl::write(beast::tcp_stream& stream, Response response, bool keep_alive,
                                          bool head) {
  if (response.stream) co_return co_await write_streamed(stream, std::move(response), keep_alive, head);
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
  for (auto& header : response.headers) message.set(header.name, header.value);
  message.keep_alive(keep_alive);
  message.body() = std::move(response.body);
  message.prepare_payload();
  if (head) message.body().clear();  // Content-Length still describes the GET body
  stream.expires_after(options.read_timeout);
  auto [error, bytes] = co_await bhttp::async_write(stream, message, use_tuple);
  co_return !error;
}

// Chunked transfer encoding, one chunk at a time as the producer hands them
// over: the body is never whole in memory. Returns false when the transfer
// broke (producer failure, client gone), and the connection is then closed.
asio::awaitable<bool> Server::Impl::write_streamed(beast::tcp_stream& stream, Response response, bool keep_alive,
                                                   bool head) {
  bhttp::response<bhttp::empty_body> header{static_cast<bhttp::status>(response.status), 11};
  for (auto& field : response.headers) header.set(field.name, field.value);
  header.keep_alive(keep_alive);
  header.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{header};
  stream.expires_after(options.read_timeout);
  auto [header_error, header_bytes] = co_await bhttp::async_write_header(stream, serializer, use_tuple);
  if (header_error) co_return false;
  // A HEAD answer ends with its header: not even the last chunk follows,
  // or the client would read it as the start of the next response.
  if (head) co_return true;
  while (true) {
    auto chunk = co_await async_callback<BodyChunk>(
        [&response](std::function<void(BodyChunk)> deliver) { response.stream(std::move(deliver)); });
    if (chunk.failed) co_return false;
    if (!chunk.data.empty()) {
      stream.expires_after(options.read_timeout);
      auto [error, bytes] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(chunk.data)), use_tuple);
      if (error) co_return false;
    }
    if (chunk.last) break;
  }
  stream.expires_after(options.read_timeout);
  auto [error, bytes] = co_await asio::async_write(stream, bhttp::make_chunk_last(), use_tuple);
  co_return !error;
}

asio::awaitable<void> Server::Impl::serve_connection(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  auto entry = std::make_shared<SessionEntry>();
  entry->executor = stream.get_executor();
  entry->stream = &stream;
  {
    std::lock_guard lock(sessions_mutex);
    sessions.insert(entry);
  }
  beast::error_code endpoint_error;
  auto endpoint = stream.socket().remote_endpoint(endpoint_error);
  std::string peer;
  if (!endpoint_error) {
    auto address = endpoint.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    peer = address.to_string();
  }

  beast::flat_buffer buffer;
  bool first_request = true;
  while (!lifecycle.draining.load()) {
    entry->busy = false;
    // Waiting for the next request is bounded by the idle timeout; once its
    // first byte arrives, the whole request must arrive within the read
    // timeout, which is what drops slow-loris connections.
    if (buffer.size() == 0) {
      stream.expires_after(first_request ? options.read_timeout : options.idle_timeout);
      auto [error, bytes] = co_await stream.async_read_some(buffer.prepare(2048), use_tuple);
      if (error) break;
      buffer.commit(bytes);
    }
    first_request = false;
    entry->busy = true;
    auto started = Clock::now();
    stream.expires_after(options.read_timeout);

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    auto [header_error, header_bytes] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
    // A Content-Length over the limit is refused after every field was read:
    // the refusal still knows the request (its Origin, its Content-Type).
    bool fields_read = !header_error || header_error == bhttp::error::body_limit;
    std::optional<domain::Error> refusal;
    if (header_error == bhttp::error::header_limit) {
      // 431 is not one of domain::ErrorKind's statuses: written directly.
      Request unparsed;
      unparsed.route = "invalid_request";
      unparsed.client_address = peer;
      finish(unparsed, 431, started);
      co_await write(stream, Response::text(431, "Request header fields too large.\n"), false, false);
      break;
    }
    if (header_error == bhttp::error::body_limit) {
      refusal = domain::Error(domain::ErrorKind::payload_too_large,
                              "The body is larger than " + std::to_string(options.max_body_bytes) + " bytes.");
    } else if (header_error) {
      if (header_error == beast::error::timeout || header_error == bhttp::error::end_of_stream ||
          header_error == asio::error::eof || header_error == asio::error::operation_aborted) {
        break;
      }
      refusal = domain::Error(domain::ErrorKind::bad_request, "The request is not valid HTTP/1.1.");
    }

    if (!refusal) refusal = ambiguity(parser.get().base());
    if (!refusal) {
      auto& header = parser.get();
      if (bhttp::token_list(header[bhttp::field::expect]).exists("100-continue") && !parser.is_done()) {
        bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, 11};
        co_await bhttp::async_write(stream, proceed, use_tuple);
      }
      if (!parser.is_done()) {
        auto [body_error, body_bytes] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
        if (body_error == bhttp::error::body_limit) {
          refusal = domain::Error(domain::ErrorKind::payload_too_large,
                                  "The body is larger than " + std::to_string(options.max_body_bytes) + " bytes.");
        } else if (body_error) {
          if (body_error == beast::error::timeout || body_error == asio::error::eof ||
              body_error == bhttp::error::partial_message || body_error == asio::error::operation_aborted) {
            break;
          }
          refusal = domain::Error(domain::ErrorKind::bad_request, "The request is not valid HTTP/1.1.");
        }
      }
    }

    if (refusal) {
      // The stream's position is unknown after a refused message: answer,
      // then close.
      auto header = fields_read ? &parser.get().base() : nullptr;
      Request summary = header != nullptr ? to_request(*header, {}, peer, trusted_proxies) : Request{};
      summary.route = "invalid_request";
      if (header == nullptr) summary.client_address = peer;
      auto response = header != nullptr ? router.refusal(summary, *refusal) : problem_response(*refusal);
      finish(summary, response.status, started);
      co_await write(stream, std::move(response), false, summary.method == Method::head);
      break;
    }

    auto message = parser.release();
    bool keep_alive = message.keep_alive();
    Request request = to_request(message.base(), std::move(message.body()), peer, trusted_proxies);
    Response response = co_await async_callback<Response>([this, &request, &stream](std::function<void(Response)> done) {
      // The handler's coroutine resumes on this session's strand after
      // every wait; `request` lives here until the response is written.
      async::start(router.dispatch(request), on_strand(stream.get_executor()),
                   [done = std::move(done)](std::optional<Response> response, std::exception_ptr) {
                     // dispatch() turns every exception into a response.
                     done(response ? std::move(*response) : problem_response(domain::Error(
                                                                 domain::ErrorKind::internal,
                                                                 "An unexpected error occurred.")));
                   });
    });
    keep_alive = keep_alive && !lifecycle.draining.load();
    // Counted before it is written, so a client that has its answer also
    // finds it in /metrics.
    finish(request, response.status, started);
    bool written = co_await write(stream, std::move(response), keep_alive, request.method == Method::head);
    if (!written || !keep_alive) break;
  }

  {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(entry);
  }
  entry->stream = nullptr;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.close();
}

asio::awaitable<void> Server::Impl::drain_on_signal() {
  auto [error, signal] = co_await signals.async_wait(use_tuple);
  if (error) co_return;
  log::info("draining", {{"signal", signal}, {"connections", open_connections.load()}});
  lifecycle.draining = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  {
    // Connections waiting for their next request are closed now; those in
    // the middle of one finish it and close after the response.
    std::lock_guard lock(sessions_mutex);
    for (const auto& entry : sessions) {
      asio::post(entry->executor, [entry] {
        if (entry->stream != nullptr && !entry->busy) entry->stream->cancel();
      });
    }
  }
  auto deadline = Clock::now() + options.drain_timeout;
  asio::steady_timer timer(io);
  while (open_connections.load() > 0 && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(use_tuple);
  }
  if (open_connections.load() > 0) {
    log::warn("drain_timeout", {{"connections", open_connections.load()}});
  }
  io.stop();
}

Server::Server(ServerOptions options, const Router& router, metrics::Metrics& metrics, Lifecycle& lifecycle)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics, lifecycle)) {}

Server::~Server() = default;

void Server::listen() {
  auto& acceptor = impl_->acceptor;
  beast::error_code error;
  auto address = asio::ip::make_address(impl_->options.host, error);
  const auto& key = impl_->options.config_key;
  if (error) throw std::runtime_error(key + ": not an IP address: " + impl_->options.host);
  tcp::endpoint endpoint(address, impl_->options.port);
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    acceptor.close();
    throw std::runtime_error(key + ": cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + error.message());
  }
  log::info("listening", {{"address", this->address()}, {"key", key}});
}

std::string Server::address() const {
  beast::error_code error;
  auto endpoint = impl_->acceptor.local_endpoint(error);
  if (error) return {};
  auto host = endpoint.address().to_string();
  if (endpoint.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

void Server::run() {
  // Without a listening socket (a worker whose metrics port is taken) the
  // server still waits for SIGTERM and drains.
  if (impl_->acceptor.is_open()) asio::co_spawn(impl_->io, impl_->accept_connections(), asio::detached);
  asio::co_spawn(impl_->io, impl_->drain_on_signal(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i) threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& thread : threads) thread.join();
}

}  // namespace leadgate::http
