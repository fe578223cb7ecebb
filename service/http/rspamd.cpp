#include "http/rspamd.hpp"

// Placeholder: the client is being written (issue 21).
namespace leadgate::http {

RspamdClient::RspamdClient(OutboundClient& client, std::string url, std::chrono::milliseconds timeout)
    : client_(client), url_(std::move(url)), timeout_(timeout) {}

void RspamdClient::check(const RspamdSubmission&, Done done) { done(std::nullopt); }

}  // namespace leadgate::http
