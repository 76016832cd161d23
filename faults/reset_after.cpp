// reset_after: the connection is reset (RST), by exactly one of:
// - `after` (duration): once it is that old, armed at ReadyForQuery for the time left, so it
//   lands while idle;
// - `statements` (count): when its n-th statement arrives (that statement is not answered);
// - `messages` (count): when its n-th frontend message arrives, counted from the
//   StartupMessage (1) on: password messages, Query, Parse, Bind, Sync, Terminate... (that
//   message is not answered);
// - `bytes` (count): once n bytes have come from the client (the protocol stream, after
//   TLS, SSLRequest included); the read that reaches n is not answered.
#include <array>

#include "faults/catalogue.hpp"

namespace fauxgres::faults::catalogue {
namespace {

class reset_after final : public fault {
 public:
  enum class by { age, statements, messages, bytes };
  reset_after(by what, milliseconds after, std::uint64_t count)
      : by_(what), after_(after), count_(count) {}
  std::string_view type() const override { return "reset_after"; }
  bool listens_to(hook h) const override {
    switch (by_) {
      case by::age:
        return h == hook::ready;
      case by::statements:
        return h == hook::query;
      case by::messages:
      case by::bytes:
        return h == hook::message;
    }
    return false;
  }
  verdict decide(hook h, const connection_facts& facts, milliseconds) const override {
    if (!listens_to(h)) return {};
    switch (by_) {
      case by::age:
        return verdicts::deadline(after_ - facts.connected_for, verdicts::reset());
      case by::statements:
        return facts.statements + 1 >= count_ ? verdicts::reset() : verdict{};
      case by::messages:
        return facts.message_arrived && facts.messages >= count_ ? verdicts::reset() : verdict{};
      case by::bytes:
        return facts.bytes_received >= count_ ? verdicts::reset() : verdict{};
    }
    return {};
  }

 private:
  by by_;
  milliseconds after_;
  std::uint64_t count_;
};

}  // namespace

std::unique_ptr<fault> make_reset_after(attributes& a) {
  constexpr std::array<std::string_view, 4> keys{"after", "statements", "messages", "bytes"};
  std::vector<std::string_view> given;
  for (auto key : keys) {
    if (a.has(key)) given.push_back(key);
  }
  if (given.size() != 1) {
    const auto key = given.empty() ? keys[0] : given[1];
    a.fail(key, given.empty() ? "" : *a.text(key),
           "reset_after needs exactly one of after (a duration), statements, messages and "
           "bytes (counts)");
  }
  const auto key = given.front();
  if (key == "after")
    return std::make_unique<reset_after>(reset_after::by::age, *a.duration(key), 0);
  const auto count = *a.count(key);
  if (count == 0) a.fail(key, "0", "must be 1 or more");
  const auto what = key == "statements" ? reset_after::by::statements
                    : key == "messages" ? reset_after::by::messages
                                        : reset_after::by::bytes;
  return std::make_unique<reset_after>(what, milliseconds(0), count);
}

}  // namespace fauxgres::faults::catalogue
