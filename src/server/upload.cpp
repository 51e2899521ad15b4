#include "server/detail/upload.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "endstate/core/error.hpp"
#include "endstate/plan/spec.hpp"

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

Files plans_upload(const Params& p, const std::vector<SentPlan>& plans, bool strict) {
  Files files;
  std::map<std::string, std::string> named;  // param -> the file name the plans give it
  for (const auto& sent : plans) {
    const std::string name = p.text(sent.name_param);
    check_file_name(name, sent.name_param);
    for (const auto& f : files) {
      if (f.first == name) throw invalid_field(sent.name_param, "'" + name + "' is the name of another file sent");
    }
    const std::string text = p.text(sent.field);
    if (text.empty()) throw invalid_field(sent.field, "must hold the plan YAML");
    const plan::PlanSpec spec = plan::parse_plan(text, name);
    files.emplace_back(name, text);
    struct Named {
      std::string param, path, where;
      int line;
    };
    for (const Named& n :
         {Named{"localities", spec.localities_file, "plan.coverage.localities", spec.localities_where.line},
          Named{"candidates", spec.candidates_file, "plan.sites.candidates", 0}}) {
      if (n.path.empty()) continue;
      if (n.path.find_first_of("/\\") != std::string::npos || n.path == name) {
        throw bad_input("a plan sent to the server names its files by plain name, sent with it as '" + n.param +
                            "' (got '" + n.path + "')",
                        {name, n.line, n.where});
      }
      check_file_name(n.path, n.where);
      if (!p.has(n.param)) {
        throw invalid_field(n.param,
                            "the plan names '" + n.path + "' (" + n.where + "): send its CSV text as " + n.param);
      }
      const auto [it, fresh] = named.emplace(n.param, n.path);
      if (!fresh && it->second != n.path) {
        throw bad_input("the plans name different " + n.param + " files ('" + it->second + "' and '" + n.path +
                            "'); one text is sent as '" + n.param + "': name the same file",
                        {name, n.line, n.where});
      }
    }
  }
  for (const char* param : {"localities", "candidates"}) {
    const auto it = named.find(param);
    if (it == named.end()) {
      if (strict && p.has(param)) {
        throw invalid_field(
            param, std::string("the plan names no ") + param + " file (plan." +
                       (std::string(param) == "localities" ? "coverage.localities" : "sites.candidates") + ")");
      }
      continue;
    }
    for (const auto& f : files) {
      if (f.first == it->second) throw invalid_field(param, "'" + it->second + "' is the name of a plan sent");
    }
    files.emplace_back(it->second, p.text(param));
  }
  return files;
}

Upload::~Upload() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace endstate::server::detail
