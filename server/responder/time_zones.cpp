// Zone lookup and its process-wide cache; see time_zones.hpp.
#include "responder/time_zones.hpp"

#include <dirent.h>

#include <cctype>
#include <fstream>
#include <mutex>
#include <string>
#include <unordered_map>

#include "responder/settings.hpp"
#include "types/timestamps.hpp"

namespace fauxgres::responder {
namespace {

constexpr const char* zoneinfo_dir = "/usr/share/zoneinfo";  // Debian's PG: --with-system-tzdata
constexpr std::size_t max_name_length = 255;                 // TZ_STRLEN_MAX
constexpr std::size_t max_zone_file = 1 << 20;               // real ones are under 10 KiB
constexpr std::size_t max_cached = 1024;                     // POSIX specs are unbounded in number

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// scan_directory_ci: the entry of `dir` spelled like `component` but for case; entries
// starting with '.' never match, so a name cannot climb out of the zone directory.
std::optional<std::string> entry_ci(const std::string& dir, std::string_view component) {
  if (component.empty()) return std::nullopt;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return std::nullopt;
  std::optional<std::string> found;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view entry = e->d_name;
    if (entry.empty() || entry[0] == '.') continue;
    if (iequal(entry, component)) {
      found = std::string(entry);
      break;
    }
  }
  ::closedir(d);
  return found;
}

// tzload: the zone file a name spells, read and parsed; nullopt when there is none.
std::optional<types::time_zone> load_zone_file(std::string_view name) {
  if (!name.empty() && name[0] == ':') name.remove_prefix(1);
  std::string path = zoneinfo_dir;
  std::string canonical;
  while (true) {
    const std::size_t slash = name.find('/');
    auto entry = entry_ci(path, name.substr(0, slash));
    if (!entry) return std::nullopt;
    path += '/' + *entry;
    canonical += *entry;
    if (slash == std::string_view::npos) break;
    canonical += '/';
    name.remove_prefix(slash + 1);
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string bytes(max_zone_file + 1, '\0');
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (file.bad() || file.gcount() <= 0 || static_cast<std::size_t>(file.gcount()) > max_zone_file) {
    return std::nullopt;  // a directory, unreadable, or not a zone file by its size
  }
  bytes.resize(static_cast<std::size_t>(file.gcount()));
  return types::time_zone::from_tzif(std::move(canonical), bytes);
}

// UTC's names in tzdata, for a machine without the package (a slim container): a driver
// sending TimeZone=UTC must still connect.
std::optional<types::time_zone> utc_without_files(const std::string& upper_name) {
  static constexpr std::string_view names[] = {
      "UTC",     "Etc/UTC",       "UCT",       "Etc/UCT",   "Universal", "Etc/Universal",
      "Zulu",    "Etc/Zulu",      "GMT0",      "Etc/GMT0",  "GMT+0",     "GMT-0",
      "Etc/GMT", "Etc/Greenwich", "Greenwich", "Etc/GMT+0", "Etc/GMT-0"};
  for (std::string_view name : names) {
    if (iequal(name, upper_name)) return types::time_zone::fixed(std::string(name), 0);
  }
  return std::nullopt;
}

std::optional<types::time_zone> load_zone(const std::string& upper_name) {
  if (upper_name == "GMT") return types::time_zone::fixed("GMT", 0);  // never a file, as in PG
  if (auto zone = load_zone_file(upper_name)) return zone;
  if (auto zone = utc_without_files(upper_name)) return zone;
  if (upper_name[0] == ':') return std::nullopt;
  return types::time_zone::from_posix(upper_name, upper_name);
}

struct zone_cache {
  std::mutex mutex;
  std::unordered_map<std::string, std::shared_ptr<const types::time_zone>> zones;
};

zone_cache& cache() {
  static zone_cache c;
  return c;
}

}  // namespace

std::shared_ptr<const types::time_zone> find_time_zone(std::string_view name) {
  if (name.empty() || name.size() > max_name_length) return nullptr;
  const std::string key = upper(name);
  zone_cache& c = cache();
  {
    const std::lock_guard lock(c.mutex);
    if (auto it = c.zones.find(key); it != c.zones.end()) return it->second;
  }
  auto zone = load_zone(key);
  if (!zone) return nullptr;
  auto shared = std::make_shared<const types::time_zone>(std::move(*zone));
  const std::lock_guard lock(c.mutex);
  if (c.zones.size() >= max_cached) c.zones.clear();
  c.zones.emplace(key, shared);
  return shared;
}

std::shared_ptr<const types::time_zone> session_time_zone(const settings& session_settings) {
  if (auto zone = find_time_zone(session_settings.get("TimeZone").value_or("UTC"))) return zone;
  return {std::shared_ptr<void>(), &types::utc_zone()};  // static: not owned
}

}  // namespace fauxgres::responder
