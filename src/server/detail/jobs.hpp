#pragma once
// Long work in the background: a job is recorded in the store (queued), run
// by one of a few worker threads on an engine of its own whose hooks report
// progress and poll for cancellation, and its document (or problem) is kept
// in the store for whoever polls /api/jobs/{id}.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "endstate/store/database.hpp"
#include "endstate/store/server_tables.hpp"
#include "server/detail/route.hpp"

namespace endstate::server::detail {

struct JobProgress {
  std::string stage;
  std::int64_t done = 0, total = 0;
};

class JobRunner {
 public:
  /// Workers on the store at `db`; at most `per_user` jobs queued or running per user.
  JobRunner(std::string db, std::size_t workers, std::size_t per_user);
  ~JobRunner();
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Records the job (queued) and queues it. Error(kEnvironment) with "too many
  /// jobs" when the user has `per_user` unfinished ones.
  store::JobRow submit(const std::string& operation, const std::string& user, const Json& params, Run run);
  /// Progress of a job running now (nullopt when not running in this process).
  std::optional<JobProgress> progress(std::int64_t id);
  /// Cancels a queued job at once, or asks a running one to stop; false when it is not unfinished here.
  bool cancel(std::int64_t id);
  /// Stops the workers: queued jobs fail ("the server stopped"), running ones are asked to stop.
  void stop();

 private:
  struct Item {
    std::int64_t id = 0;
    std::string user;
    Run run;
    std::atomic<bool> cancel{false};
    std::mutex m;
    JobProgress progress;
    std::vector<std::string> warnings;
    bool running = false;
  };
  void work();
  void finish(const store::JobRow& row);

  std::string db_location_;
  std::size_t per_user_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Item>> queue_;
  std::map<std::int64_t, std::shared_ptr<Item>> items_;  ///< unfinished jobs
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  std::mutex db_m_;  ///< guards db_ (bookkeeping writes)
  std::optional<store::Database> db_;
};

}  // namespace endstate::server::detail
