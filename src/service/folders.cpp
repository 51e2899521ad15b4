#include "endstate/service/folders.hpp"

#include <filesystem>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"

namespace endstate::service {

namespace fs = std::filesystem;

bool database_has_history(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  try {
    auto db = store::Database::open(path, store::Access::kReadOnly);
    return db.schema_version() >= 2 && db.last_audit().has_value();
  } catch (const Error&) {
    return false;  // not an endstate database (or an older one): no audit history to protect
  }
}

void prepare_output_folder(const std::string& dir, bool force, const std::string& field) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw invalid_field(field, "'" + dir + "' exists and is not a folder");
  }
  if (fs::is_directory(dir, ec)) {
    bool empty = true;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      empty = false;
      if (e.path().extension() == ".db" && database_has_history(e.path().string())) {
        throw invalid_field(field, "'" + dir + "' holds " + e.path().filename().string() +
                                       ", an endstate database with an audit history; it is never replaced: "
                                       "choose another folder");
      }
    }
    if (!empty && !force) {
      throw invalid_field(field, "'" + dir +
                                     "' is not empty; choose an empty or new folder, or pass --force to "
                                     "write over the files there");
    }
  }
  fs::create_directories(dir, ec);
  if (ec) throw environment_error("cannot create the folder '" + dir + "': " + ec.message());
}

}  // namespace endstate::service
