#pragma once
// The HTTP/1.1 server: Boost.Beast, asynchronous, every input bounded. This
// header is Beast-free so that only server.cpp pays for Beast's templates.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "metrics/metrics.hpp"

namespace leadgate::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  std::size_t max_body_bytes = 65536;
  std::size_t max_header_bytes = 8192;
  std::chrono::seconds read_timeout{10};   // a whole request, from its first byte
  std::chrono::seconds idle_timeout{60};   // between requests on a keep-alive connection
  int max_connections = 10000;
  int threads = 1;
  std::chrono::seconds drain_timeout{20};  // SIGTERM: how long requests in flight may take
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For names the client
  std::string config_key = "http.listen";     // the key that set host and port, for errors
};

// Shared with the handlers that report readiness.
struct Lifecycle {
  std::atomic<bool> draining{false};
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, metrics::Metrics& metrics, Lifecycle& lifecycle);
  ~Server();

  // Binds the listening socket (throws std::runtime_error if it can't) and
  // logs {"event":"listening","address":…}.
  void listen();

  // Serves until SIGTERM or SIGINT, then stops accepting, lets requests in
  // flight finish (up to drain_timeout) and returns.
  void run();

  // The bound address, e.g. "127.0.0.1:41213".
  std::string address() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadgate::http
