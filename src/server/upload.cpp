#include "server/detail/upload.hpp"

#include <filesystem>
#include <fstream>
#include <random>

#include "endstate/core/error.hpp"

namespace endstate::server::detail {

void check_file_name(const std::string& name, const std::string& field) {
  if (name.empty() || name.size() > 100 || name == "." || name == ".." ||
      name.find_first_of("/\\\0", 0, 3) != std::string::npos) {
    throw invalid_field(field, "must be a plain file name (no folders), 1 to 100 bytes");
  }
}

Upload::Upload(const std::string& user, const std::vector<std::pair<std::string, std::string>>& files) {
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() /
                   ("endstate-upload-" + user + "-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  dir_ = dir.string();
  for (const auto& [name, text] : files) {
    const std::string path = (dir / name).string();
    if (path_.empty()) path_ = path;
    std::ofstream f(path, std::ios::binary);
    f << text;
    f.flush();
    if (!f) throw environment_error("cannot write the upload to " + path);
  }
}

Upload::~Upload() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace endstate::server::detail
