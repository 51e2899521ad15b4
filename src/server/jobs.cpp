#include "server/detail/jobs.hpp"

#include "endstate/core/error.hpp"
#include "endstate/service/engine.hpp"
#include "server/detail/problem.hpp"

namespace endstate::server::detail {

JobRunner::JobRunner(std::string db, std::size_t workers, std::size_t per_user)
    : db_location_(std::move(db)), per_user_(per_user) {
  db_.emplace(store::Database::open(db_location_, store::Access::kReadWrite));
  for (std::size_t i = 0; i < std::max<std::size_t>(1, workers); ++i) threads_.emplace_back([this] { work(); });
}

JobRunner::~JobRunner() { stop(); }

void JobRunner::stop() {
  std::deque<std::shared_ptr<Item>> left;
  {
    std::lock_guard<std::mutex> lock(m_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    left.swap(queue_);
    for (auto& [id, item] : items_) item->cancel = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  for (const auto& item : left) {
    std::lock_guard<std::mutex> lock(db_m_);
    auto tables = store::server_tables(*db_);
    if (auto row = tables->job(item->id, false)) {
      row->state = "failed";
      row->finished_at = utc_now_iso();
      row->problem = problem_json(http_problem(503, "the server stopped before the job ran; submit it again"),
                                  "/api/jobs/" + std::to_string(item->id));
      tables->update_job(*row);
    }
  }
}

store::JobRow JobRunner::submit(const std::string& operation, const std::string& user, const Json& params, Run run) {
  auto item = std::make_shared<Item>();
  item->user = user;
  item->run = std::move(run);
  store::JobRow row;
  row.kind = operation;
  row.user_name = user;
  row.params = params.dump();
  row.state = "queued";
  row.created_at = utc_now_iso();
  std::lock_guard<std::mutex> lock(m_);
  if (stopping_) throw environment_error("the server is stopping; submit the job again later");
  std::size_t mine = 0;
  for (const auto& [id, it] : items_) mine += it->user == user ? 1 : 0;
  if (mine >= per_user_) {
    throw environment_error("too many jobs: " + std::to_string(mine) + " of yours are queued or running (at most " +
                            std::to_string(per_user_) + "); wait for one to finish or cancel one");
  }
  {
    std::lock_guard<std::mutex> dl(db_m_);
    auto tables = store::server_tables(*db_);
    store::Database::Transaction tx(*db_);
    row.id = tables->insert_job(row);
    tx.commit();
  }
  item->id = row.id;
  items_[row.id] = item;
  queue_.push_back(item);
  cv_.notify_one();
  return row;
}

std::optional<JobProgress> JobRunner::progress(std::int64_t id) {
  std::shared_ptr<Item> item;
  {
    std::lock_guard<std::mutex> lock(m_);
    const auto it = items_.find(id);
    if (it == items_.end()) return std::nullopt;
    item = it->second;
  }
  std::lock_guard<std::mutex> lock(item->m);
  if (!item->running) return std::nullopt;
  return item->progress;
}

bool JobRunner::cancel(std::int64_t id) {
  std::shared_ptr<Item> item;
  bool queued = false;
  {
    std::lock_guard<std::mutex> lock(m_);
    const auto it = items_.find(id);
    if (it == items_.end()) return false;
    item = it->second;
    item->cancel = true;
    for (auto q = queue_.begin(); q != queue_.end(); ++q) {
      if ((*q)->id == id) {
        queue_.erase(q);
        queued = true;
        break;
      }
    }
    if (queued) items_.erase(id);
  }
  if (queued) {
    std::lock_guard<std::mutex> dl(db_m_);
    auto tables = store::server_tables(*db_);
    if (auto row = tables->job(id, false)) {
      row->state = "cancelled";
      row->finished_at = utc_now_iso();
      row->problem = problem_json(http_problem(409, "cancelled before it started"), "/api/jobs/" + std::to_string(id));
      tables->update_job(*row);
    }
  }
  return true;
}

void JobRunner::finish(const store::JobRow& row) {
  std::lock_guard<std::mutex> dl(db_m_);
  auto tables = store::server_tables(*db_);
  store::Database::Transaction tx(*db_);
  tables->update_job(row);
  tx.commit();
}

void JobRunner::work() {
  for (;;) {
    std::shared_ptr<Item> item;
    {
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_ && queue_.empty()) return;
      item = queue_.front();
      queue_.pop_front();
      std::lock_guard<std::mutex> il(item->m);
      item->running = true;
    }
    store::JobRow row;
    {
      std::lock_guard<std::mutex> dl(db_m_);
      row = *store::server_tables(*db_)->job(item->id, false);
    }
    row.state = "running";
    row.started_at = utc_now_iso();
    finish(row);

    service::Hooks hooks;
    hooks.progress = [item](const std::string& stage, std::int64_t done, std::int64_t total) {
      std::lock_guard<std::mutex> lock(item->m);
      item->progress = {stage, done, total};
    };
    hooks.warning = [item](const std::string& message) {
      std::lock_guard<std::mutex> lock(item->m);
      item->warnings.push_back(message);
    };
    hooks.cancelled = [item] { return item->cancel.load(); };
    const std::string instance = "/api/jobs/" + std::to_string(item->id);
    try {
      service::Engine engine(db_location_, hooks);
      engine.set_actor(item->user);
      Output out = item->run(engine);
      if (item->cancel) {
        row.state = "cancelled";
        row.problem = problem_json(
            http_problem(409, "cancelled while running; the engine call finished first and its result was discarded"),
            instance);
      } else {
        row.state = "done";
        row.content_type = out.content_type;
        row.result = std::move(out.body);
      }
    } catch (const Error& e) {
      if (item->cancel && e.message() == "cancelled") {
        row.state = "cancelled";
        row.problem = problem_json(http_problem(409, "cancelled while running"), instance);
      } else {
        row.state = "failed";
        row.problem = problem_json(problem_of(e), instance);
      }
    } catch (const std::exception& e) {
      row.state = "failed";
      row.problem = problem_json(http_problem(500, std::string("internal error: ") + e.what()), instance);
    }
    row.finished_at = utc_now_iso();
    {
      std::lock_guard<std::mutex> lock(item->m);
      row.stage = item->progress.stage;
      row.done = item->progress.done;
      row.total = item->progress.total;
      Json w = Json::array();
      for (const auto& m : item->warnings) w.push_back(m);
      row.warnings = w.dump();
    }
    try {
      finish(row);
    } catch (const std::exception&) {
      // The store refused the result (locked past the timeout, disk full): the
      // job stays "running" in the store and is closed as failed at the next start.
    }
    std::lock_guard<std::mutex> lock(m_);
    items_.erase(item->id);
  }
}

}  // namespace endstate::server::detail
