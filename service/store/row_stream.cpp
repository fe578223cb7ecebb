#include "store/row_stream.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"
#include "store/database.hpp"

namespace leadgate::store {

std::shared_ptr<RowStream> RowStream::start(std::string url, Declare declare, Header header, Format format,
                                            std::shared_ptr<void> held) {
  auto stream = std::shared_ptr<RowStream>(new RowStream());
  stream->held_ = std::move(held);
  // The thread only touches members, and the destructor joins it before
  // they go away.
  stream->producer_ = std::thread([raw = stream.get(), url = std::move(url), declare = std::move(declare),
                                   header = std::move(header), format = std::move(format)]() mutable {
    raw->produce(std::move(url), std::move(declare), std::move(header), std::move(format));
  });
  return stream;
}

RowStream::~RowStream() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  room_.notify_all();
  if (producer_.joinable()) producer_.join();
}

std::size_t RowStream::rows() const {
  std::lock_guard lock(mutex_);
  return rows_;
}

bool RowStream::push(std::string text, bool last, bool failed) {
  Deliver deliver;
  {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return cancelled_ || queue_.size() < max_queued_chunks; });
    if (cancelled_) return false;
    if (waiting_) {
      deliver = std::move(waiting_);
      waiting_ = nullptr;
    } else {
      queue_.push_back(Chunk{std::move(text), last, failed});
      return true;
    }
  }
  deliver(std::move(text), last, failed);
  return true;
}

void RowStream::next(Deliver deliver) {
  Chunk chunk;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
      waiting_ = std::move(deliver);
      return;
    }
    chunk = std::move(queue_.front());
    queue_.pop_front();
  }
  room_.notify_one();
  deliver(std::move(chunk.text), chunk.last, chunk.failed);
}

void RowStream::produce(std::string url, Declare declare, Header header, Format format) {
  std::string chunk;
  bool first_fetch = true;
  try {
    pqxx::connection connection(with_connection_defaults(url));
    // One snapshot for the whole export, and no way for it to write.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> transaction(connection);
    declare(transaction);
    while (true) {
      auto rows = transaction.exec("FETCH FORWARD " + std::to_string(rows_per_fetch) + " FROM export");
      if (first_fetch && header) header(rows, chunk);
      first_fetch = false;
      for (const auto& row : rows) {
        format(row, chunk);
        if (chunk.size() >= chunk_bytes) {
          if (!push(std::move(chunk), false, false)) return;
          chunk.clear();
        }
      }
      {
        std::lock_guard lock(mutex_);
        rows_ += rows.size();
        if (cancelled_) return;
      }
      if (rows.size() < static_cast<std::size_t>(rows_per_fetch)) break;
    }
    push(std::move(chunk), true, false);
  } catch (const std::exception& error) {
    log::error("export_failed", {{"detail", error.what()}});
    push(std::move(chunk), true, true);
  }
}

}  // namespace leadgate::store
