#pragma once
// Streams the rows of one query as text chunks (CSV, NDJSON) from a
// server-side cursor, on a connection and thread of its own: an export of a
// million rows holds a few chunks in memory at a time and never takes a
// connection from the pool that serves form posts.

#include <pqxx/types.hxx>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace leadgate::store {

class RowStream {
 public:
  // Opens the cursor: runs "DECLARE export NO SCROLL CURSOR FOR …" with its
  // parameters inside the stream's read-only transaction.
  using Declare = std::function<void(pqxx::transaction_base&)>;
  // Appends what comes before the rows (a CSV header), given the first
  // fetch, whose columns are known even when it has no rows.
  using Header = std::function<void(const pqxx::result&, std::string&)>;
  // Appends one row's text to the chunk being filled.
  using Format = std::function<void(const pqxx::row&, std::string&)>;
  // Called once per chunk: the text, whether it is the last, whether the
  // stream failed (the text so far is all there will be).
  using Deliver = std::function<void(std::string text, bool last, bool failed)>;

  // Starts producing at once. `held` is kept until the stream is destroyed
  // (a place among the running exports).
  static std::shared_ptr<RowStream> start(std::string url, Declare declare, Header header, Format format,
                                          std::shared_ptr<void> held = nullptr);

  // Stops the producer (a client that went away) and waits for it.
  ~RowStream();

  // Hands over the next chunk as soon as there is one.
  void next(Deliver deliver);

  // Rows formatted so far.
  std::size_t rows() const;

 private:
  RowStream() = default;
  void produce(std::string url, Declare declare, Header header, Format format);
  // Blocks the producer while the consumer is behind; false when cancelled.
  bool push(std::string text, bool last, bool failed);

  static constexpr std::size_t chunk_bytes = 64 * 1024;
  static constexpr std::size_t max_queued_chunks = 4;
  static constexpr int rows_per_fetch = 1000;

  struct Chunk {
    std::string text;
    bool last = false;
    bool failed = false;
  };
  mutable std::mutex mutex_;
  std::condition_variable room_;
  std::deque<Chunk> queue_;
  Deliver waiting_;
  bool cancelled_ = false;
  std::size_t rows_ = 0;
  std::thread producer_;
  std::shared_ptr<void> held_;  // let go after ~RowStream has joined the producer
};

}  // namespace leadgate::store
