// http::Router: method + path → handler, 404/405, errors → rendered responses.

#include "http/router.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "async/callback.hpp"

namespace {

using leadgate::domain::Error;
using leadgate::domain::ErrorKind;
using leadgate::http::Method;
using leadgate::http::Request;
using leadgate::async::Task;
using leadgate::http::Response;
using leadgate::http::Router;

// Renders an error as "<status-ish kind number> detail" and keeps its headers,
// so tests can see exactly what reached the renderer.
Response render(const Request&, const Error& error, leadgate::http::ErrorStyle) {
  Response response = Response::text(600 + static_cast<int>(error.kind()), error.detail());
  for (const auto& [name, value] : error.headers()) response.with_header(name, value);
  return response;
}

int rendered_status(ErrorKind kind) { return 600 + static_cast<int>(kind); }

// A handler answering 200 with `body`.
leadgate::http::Handler answer(std::string body) {
  return [body](const Request&) -> Task<Response> { co_return Response::text(200, body); };
}

struct Dispatched {
  Request request;
  std::optional<Response> response;
};

Dispatched dispatch(const Router& router, Method method, std::string target) {
  Dispatched result;
  result.request.method = method;
  result.request.target = std::move(target);
  // Run at once: none of these handlers waits for another thread.
  leadgate::async::start(router.dispatch(result.request), [](std::function<void()> next) { next(); },
                         [&result](std::optional<Response> response, std::exception_ptr) {
                           result.response = std::move(response);
                         });
  return result;
}

std::string body_of(const Dispatched& dispatched) {
  return dispatched.response ? dispatched.response->body : "<no response>";
}

int status_of(const Dispatched& dispatched) { return dispatched.response ? dispatched.response->status : -1; }

Router leads_router() {
  Router router(render);
  router.add(Method::get, "/v1/admin/leads", answer("list"));
  router.add(Method::get, "/v1/admin/leads/{id}", [](const Request& request) -> Task<Response> {
    co_return Response::text(200, "lead " + std::string(request.path_param("id").value_or("?")));
  });
  router.add(Method::patch, "/v1/admin/leads/{id}", answer("patched"));
  router.add(Method::post, "/v1/forms/estimate", answer("estimate"));
  router.add(Method::get, "/admin/", answer("admin page"));
  return router;
}

}  // namespace

TEST(router, a_matching_route_runs_its_handler) {
  auto result = dispatch(leads_router(), Method::get, "/v1/admin/leads");
  EXPECT_EQ(status_of(result), 200);
  EXPECT_EQ(body_of(result), "list");
  EXPECT_EQ(result.request.route, "/v1/admin/leads");
}

TEST(router, the_query_string_does_not_affect_matching) {
  EXPECT_EQ(body_of(dispatch(leads_router(), Method::get, "/v1/admin/leads?status=new&limit=5")), "list");
}

TEST(router, captures_fill_path_params_and_the_route_is_the_pattern) {
  auto result = dispatch(leads_router(), Method::get, "/v1/admin/leads/0190-abc");
  EXPECT_EQ(body_of(result), "lead 0190-abc");
  EXPECT_EQ(result.request.path_param("id"), "0190-abc");
  EXPECT_EQ(result.request.route, "/v1/admin/leads/{id}");
}

TEST(router, the_method_chooses_between_routes_of_one_path) {
  EXPECT_EQ(body_of(dispatch(leads_router(), Method::patch, "/v1/admin/leads/7")), "patched");
}

TEST(router, an_unknown_path_is_not_found) {
  for (std::string target : {"/nope", "/v1/admin", "/v1/admin/leads/7/notes", "/"}) {
    auto result = dispatch(leads_router(), Method::get, target);
    EXPECT_EQ(status_of(result), rendered_status(ErrorKind::not_found)) << target;
    EXPECT_EQ(result.request.route, "unmatched") << target;
  }
}

TEST(router, a_trailing_slash_names_a_different_resource) {
  EXPECT_EQ(status_of(dispatch(leads_router(), Method::post, "/v1/forms/estimate/")),
            rendered_status(ErrorKind::not_found));
  EXPECT_EQ(status_of(dispatch(leads_router(), Method::get, "/admin")), rendered_status(ErrorKind::not_found));
  EXPECT_EQ(body_of(dispatch(leads_router(), Method::get, "/admin/")), "admin page");
}

TEST(router, a_known_path_with_another_method_is_405_with_allow) {
  auto result = dispatch(leads_router(), Method::delete_, "/v1/forms/estimate");
  EXPECT_EQ(status_of(result), rendered_status(ErrorKind::method_not_allowed));
  ASSERT_TRUE(result.response.has_value());
  EXPECT_EQ(result.response->header("Allow"), "POST");
  EXPECT_EQ(result.request.route, "unmatched");
}

TEST(router, allow_lists_every_method_and_head_when_get_exists) {
  auto result = dispatch(leads_router(), Method::post, "/v1/admin/leads/7");
  EXPECT_EQ(status_of(result), rendered_status(ErrorKind::method_not_allowed));
  ASSERT_TRUE(result.response.has_value());
  EXPECT_EQ(result.response->header("Allow"), "GET, PATCH, HEAD");
}

TEST(router, head_is_served_by_the_get_route) {
  auto result = dispatch(leads_router(), Method::head, "/v1/admin/leads/42");
  EXPECT_EQ(body_of(result), "lead 42");
  EXPECT_EQ(result.request.route, "/v1/admin/leads/{id}");
}

TEST(router, head_without_a_get_route_is_405) {
  EXPECT_EQ(status_of(dispatch(leads_router(), Method::head, "/v1/forms/estimate")),
            rendered_status(ErrorKind::method_not_allowed));
}

TEST(router, a_domain_error_from_a_handler_is_rendered_by_the_error_renderer) {
  Router router(render);
  router.add(Method::post, "/v1/forms/estimate", [](const Request&) -> Task<Response> {
    throw std::move(Error(ErrorKind::rate_limited, "Slow down.", "bucket empty").with_header("Retry-After", "12"));
    co_return Response::text(200, "unreachable");
  });
  auto result = dispatch(router, Method::post, "/v1/forms/estimate");
  EXPECT_EQ(status_of(result), rendered_status(ErrorKind::rate_limited));
  EXPECT_EQ(body_of(result), "Slow down.");
  ASSERT_TRUE(result.response.has_value());
  EXPECT_EQ(result.response->header("Retry-After"), "12");
  EXPECT_EQ(result.request.route, "/v1/forms/estimate");
}

TEST(router, another_exception_becomes_an_internal_error_without_its_message) {
  Router router(render);
  router.add(Method::get, "/boom",
             [](const Request&) -> Task<Response> {
               throw std::runtime_error("pqxx: relation \"leads\" does not exist");
               co_return Response::text(200, "unreachable");
             });
  auto result = dispatch(router, Method::get, "/boom");
  EXPECT_EQ(status_of(result), rendered_status(ErrorKind::internal));
  EXPECT_EQ(body_of(result).find("pqxx"), std::string::npos) << body_of(result);
  EXPECT_EQ(body_of(result).find("relation"), std::string::npos) << body_of(result);
}

TEST(router, a_handler_waiting_for_another_thread_resumes_on_its_executor) {
  Router router(render);
  std::thread::id resumed_on;
  router.add(Method::get, "/wait", [&resumed_on](const Request&) -> Task<Response> {
    auto value = co_await leadgate::async::from_callback<std::string>([](std::function<void(std::string)> done) {
      std::thread([done] { done("from the pool"); }).detach();
    });
    resumed_on = std::this_thread::get_id();
    co_return Response::text(200, value);
  });
  // The executor queues continuations; this thread runs them, as a strand would.
  std::mutex mutex;
  std::condition_variable ready;
  std::vector<std::function<void()>> queue;
  auto executor = [&](std::function<void()> next) {
    std::lock_guard lock(mutex);
    queue.push_back(std::move(next));
    ready.notify_one();
  };
  Request request;
  request.target = "/wait";
  std::optional<Response> response;
  auto main_thread = std::this_thread::get_id();
  std::thread::id answered_on;
  leadgate::async::start(router.dispatch(request), executor, [&](std::optional<Response> r, std::exception_ptr) {
    answered_on = std::this_thread::get_id();
    response = std::move(r);
  });
  while (!response) {
    std::unique_lock lock(mutex);
    ready.wait(lock, [&] { return !queue.empty(); });
    auto next = std::move(queue.back());
    queue.pop_back();
    lock.unlock();
    next();
  }
  EXPECT_EQ(response->body, "from the pool");
  EXPECT_EQ(resumed_on, main_thread);
  EXPECT_EQ(answered_on, main_thread);
}

TEST(router, the_first_registered_route_wins_over_a_later_overlapping_one) {
  Router router(render);
  router.add(Method::get, "/v1/admin/leads/export.csv", answer("export"));
  router.add(Method::get, "/v1/admin/leads/{id}", answer("lead"));
  EXPECT_EQ(body_of(dispatch(router, Method::get, "/v1/admin/leads/export.csv")), "export");
  EXPECT_EQ(body_of(dispatch(router, Method::get, "/v1/admin/leads/9")), "lead");
}

TEST(router, patterns_list_each_route_once_plus_unmatched) {
  EXPECT_EQ(leads_router().patterns(), (std::vector<std::string>{"/v1/admin/leads", "/v1/admin/leads/{id}",
                                                                 "/v1/forms/estimate", "/admin/", "unmatched"}));
}

TEST(router, a_handler_throwing_a_non_exception_gets_an_internal_error_at_once) {
  Router router(render);
  router.add(Method::get, "/odd", [](const Request&) -> Task<Response> {
    throw 42;
    co_return Response::text(200, "unreachable");
  });
  auto dispatched = dispatch(router, Method::get, "/odd");
  EXPECT_EQ(status_of(dispatched), rendered_status(ErrorKind::internal));
}
