#pragma once
// What handlers may use, wired once in `leadgate serve` and passed down.

#include "config/config.hpp"
#include "handlers/error_pages.hpp"
#include "domain/disposable_domains.hpp"
#include "http/captcha.hpp"
#include "http/rspamd.hpp"
#include "http/rate_limiter.hpp"
#include "http/server.hpp"
#include "metrics/metrics.hpp"
#include "pages/pages.hpp"
#include "store/job_admin.hpp"
#include "store/lead_admin.hpp"
#include "store/leads.hpp"
#include "store/audit.hpp"
#include "store/bookings.hpp"
#include "store/listing.hpp"
#include "store/ops.hpp"
#include "store/privacy.hpp"
#include "store/stats.hpp"
#include "store/tokens.hpp"
#include "store/subscribers.hpp"

namespace leadgate::handlers {

struct Services {
  const config::Config& config;
  store::LeadStore& leads;
  store::LeadAdmin& lead_admin;
  store::JobAdmin& jobs;
  store::SubscriberStore& subscribers;
  store::BookingStore& bookings;
  store::Listing& listing;
  store::TokenStore& tokens;
  store::Privacy& privacy;
  store::AuditLog& audit;
  store::OpsStore& ops;
  const pages::Pages& pages;
  const ErrorPages& errors;
  metrics::Metrics& metrics;
  http::Lifecycle& lifecycle;
  http::RateLimiter& rate_limiter;
  http::CaptchaVerifier* captcha;  // null: forms.captcha is off
  http::RspamdClient* rspamd;      // null: forms.rspamd_url is not set
  const domain::DisposableDomains& disposable_domains;
  int expected_schema_version;  // the newest migration this binary knows
  store::StatsStore& stats;
};

}  // namespace leadgate::handlers
