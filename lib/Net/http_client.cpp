//===- http_client.cpp - The process's HTTP client ------------------------===//
///
/// \file
/// The loop of the I/O thread, in order: take what other threads handed
/// over (new exchanges, cancellations), move retries whose backoff is over
/// back into their endpoint's queue, start what the endpoints' budgets
/// allow, let libcurl do its I/O, and finish or reschedule the transfers
/// it reports done. Then sleep in curl_multi_poll until a socket is ready,
/// a budget or a backoff is due, or another thread calls curl_multi_wakeup.
///
//===----------------------------------------------------------------------===//

#include "Net/http_client.h"

#include "Net/budget_broker.h"
#include "Net/endpoint_limits.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

namespace xcs::net {
namespace {

/// A response larger than this is an error rather than a memory hazard: a
/// chat completion is a few kilobytes.
constexpr std::size_t max_response_bytes = 16u << 20;

struct Endpoint;

/// The broker installed by install_budget_broker, if any.
std::mutex broker_mutex;
std::shared_ptr<BudgetBroker> installed_broker;

std::shared_ptr<BudgetBroker> current_broker() {
  std::lock_guard lock(broker_mutex);
  return installed_broker;
}

/// One exchange from submission to its end, across its attempts.
struct Transfer {
  /// AwaitingPermit: asked the broker, not granted yet.
  enum class State { Queued, AwaitingPermit, Delayed, Running };

  Transfer(HttpClient::Id id, Exchange exchange)
      : id(id), exchange(std::move(exchange)) {}

  HttpClient::Id id;
  Exchange exchange;
  Endpoint *endpoint = nullptr;
  /// Holds the budgets when set (taken when the exchange was submitted).
  std::shared_ptr<BudgetBroker> broker;
  State state = State::Queued;
  std::multimap<Clock::time_point, Transfer *>::iterator delayed;
  std::vector<std::string> attempts;
  // The running attempt's.
  CURL *easy = nullptr;
  curl_slist *headers = nullptr;
  std::string body;
  bool too_large = false;
  Clock::time_point sent;
  char error[CURL_ERROR_SIZE] = {};
};

struct Endpoint {
  Endpoint(const EndpointLimits &limits, Clock::time_point now)
      : budget(limits, now) {}

  EndpointBudget budget;
  std::deque<Transfer *> queue;
};

std::size_t write_body(char *data, std::size_t size, std::size_t count,
                       void *user) {
  auto *transfer = static_cast<Transfer *>(user);
  std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > max_response_bytes) {
    transfer->too_large = true;
    return 0; // libcurl ends the transfer with CURLE_WRITE_ERROR.
  }
  transfer->body.append(data, bytes);
  return bytes;
}

/// Transport failures worth another attempt: the next connection or the
/// next server process may do better. A malformed URL or a failed TLS
/// verification will not.
bool transient(CURLcode code) {
  switch (code) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_GOT_NOTHING:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_PARTIAL_FILE:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
    return true;
  default:
    return false;
  }
}

bool retryable_status(long status) { return status == 429 || status >= 500; }

} // namespace

class HttpClient::Loop {
public:
  Loop() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi_ = curl_multi_init();
    // Every finished transfer leaves its connection in the multi handle's
    // cache for the next request to the same host; the default cache (four
    // per handle added) would close connections of a wide burst.
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 4096L);
    std::thread([this] { run(); }).detach();
  }

  Id submit(Exchange exchange) {
    Id id;
    {
      std::lock_guard lock(mutex_);
      id = next_id_++;
      incoming_.push_back(std::make_unique<Transfer>(id, std::move(exchange)));
    }
    submitted_.fetch_add(1, std::memory_order_relaxed);
    active_.fetch_add(1, std::memory_order_relaxed);
    curl_multi_wakeup(multi_);
    return id;
  }

  void cancel(Id id) {
    {
      std::lock_guard lock(mutex_);
      cancels_.push_back(id);
    }
    curl_multi_wakeup(multi_);
  }

  /// The broker granted the permit of exchange \p id; any thread.
  void granted(Id id) {
    {
      std::lock_guard lock(mutex_);
      granted_.push_back(id);
    }
    curl_multi_wakeup(multi_);
  }

  Stats stats() const {
    return Stats{submitted_.load(), attempts_.load(), connections_.load(),
                 active_.load()};
  }

private:
  void run() {
    while (true) {
      take();
      Clock::time_point now = Clock::now();
      release_due(now);
      admit(now);
      int running = 0;
      curl_multi_perform(multi_, &running);
      bool finished = collect();
      int wait_ms = finished ? 0 : wait_for(Clock::now());
      curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
    }
  }

  /// Takes what other threads handed over: submissions first, so that a
  /// cancellation finds the exchange it names.
  void take() {
    std::vector<std::unique_ptr<Transfer>> incoming;
    std::vector<Id> cancels;
    std::vector<Id> granted;
    {
      std::lock_guard lock(mutex_);
      incoming.swap(incoming_);
      cancels.swap(cancels_);
      granted.swap(granted_);
    }
    Clock::time_point now = Clock::now();
    std::shared_ptr<BudgetBroker> broker =
        incoming.empty() ? nullptr : current_broker();
    for (std::unique_ptr<Transfer> &transfer : incoming) {
      std::unique_ptr<Endpoint> &endpoint =
          endpoints_[transfer->exchange.endpoint];
      if (!endpoint)
        endpoint = std::make_unique<Endpoint>(transfer->exchange.limits, now);
      else
        endpoint->budget.tighten(transfer->exchange.limits, now);
      transfer->endpoint = endpoint.get();
      transfer->broker = broker;
      endpoint->queue.push_back(transfer.get());
      Id id = transfer->id;
      live_.emplace(id, std::move(transfer));
    }
    for (Id id : cancels)
      cancel_now(id);
    for (Id id : granted)
      start_granted(id, now);
  }

  /// Starts the exchange whose permit came, unless it was cancelled while
  /// it waited: then the permit goes back unused.
  void start_granted(Id id, Clock::time_point now) {
    auto found = pending_permits_.find(id);
    if (found == pending_permits_.end())
      return;
    std::shared_ptr<BudgetBroker> broker = std::move(found->second.broker);
    double tokens = found->second.tokens;
    pending_permits_.erase(found);
    auto live = live_.find(id);
    if (live == live_.end() ||
        live->second->state != Transfer::State::AwaitingPermit) {
      broker->release(id, AttemptEnd::Other, tokens);
      return;
    }
    start(*live->second, now);
  }

  /// Asks the transfer's broker for the permit of its next attempt.
  void ask_permit(Transfer &transfer) {
    transfer.state = Transfer::State::AwaitingPermit;
    double tokens = transfer.exchange.estimated_tokens;
    pending_permits_[transfer.id] = PendingPermit{transfer.broker, tokens};
    transfer.broker->acquire(transfer.id, transfer.exchange.endpoint,
                             transfer.exchange.limits, tokens,
                             [this, id = transfer.id] { granted(id); });
  }

  /// The budget's side of an attempt's end: the broker's, or the
  /// endpoint's own.
  void end_attempt(Transfer &transfer, AttemptEnd end,
                   std::optional<double> refund, Clock::time_point now) {
    if (transfer.broker) {
      transfer.broker->release(transfer.id, end, refund);
      return;
    }
    EndpointBudget &budget = transfer.endpoint->budget;
    switch (end) {
    case AttemptEnd::Succeeded:
      budget.succeeded(refund);
      break;
    case AttemptEnd::Throttled:
      budget.throttled(transfer.sent, now);
      break;
    case AttemptEnd::Other:
      break;
    }
    budget.ended();
  }

  void cancel_now(Id id) {
    auto found = live_.find(id);
    if (found == live_.end())
      return; // Ended already.
    Transfer &transfer = *found->second;
    Endpoint &endpoint = *transfer.endpoint;
    switch (transfer.state) {
    case Transfer::State::Queued:
      endpoint.queue.erase(
          std::find(endpoint.queue.begin(), endpoint.queue.end(), &transfer));
      break;
    case Transfer::State::AwaitingPermit:
      // The permit still comes, and goes back unused (start_granted).
      break;
    case Transfer::State::Delayed:
      delayed_.erase(transfer.delayed);
      break;
    case Transfer::State::Running:
      release_handle(transfer);
      end_attempt(transfer, AttemptEnd::Other, std::nullopt, Clock::now());
      break;
    }
    Outcome outcome;
    outcome.end = Outcome::End::Cancelled;
    outcome.error = "cancelled";
    finish(transfer, std::move(outcome));
  }

  /// Retries whose backoff is over go to the front of their endpoint's
  /// queue: they have waited longest.
  void release_due(Clock::time_point now) {
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
      Transfer *transfer = delayed_.begin()->second;
      delayed_.erase(delayed_.begin());
      transfer->state = Transfer::State::Queued;
      transfer->endpoint->queue.push_front(transfer);
    }
  }

  /// Starts, endpoint by endpoint and in order, what the limits allow;
  /// an exchange whose budgets a broker holds asks it for a permit.
  void admit(Clock::time_point now) {
    for (auto &[key, endpoint] : endpoints_) {
      while (!endpoint->queue.empty()) {
        Transfer *transfer = endpoint->queue.front();
        double tokens = transfer->exchange.estimated_tokens;
        if (transfer->broker) {
          endpoint->queue.pop_front();
          ask_permit(*transfer);
          continue;
        }
        if (!endpoint->budget.may_start(tokens, now))
          break;
        endpoint->budget.start(tokens, now);
        endpoint->queue.pop_front();
        start(*transfer, now);
      }
    }
  }

  void start(Transfer &transfer, Clock::time_point now) {
    CURL *easy = nullptr;
    if (!idle_.empty()) {
      easy = idle_.back();
      idle_.pop_back();
    } else {
      easy = curl_easy_init();
    }
    const HttpRequest &request = transfer.exchange.request;
    transfer.easy = easy;
    transfer.body.clear();
    transfer.too_large = false;
    transfer.error[0] = '\0';
    transfer.sent = now;
    // "Expect:" stops libcurl from waiting for a 100 Continue before
    // sending a large body: a round trip for nothing.
    transfer.headers = curl_slist_append(nullptr, "Expect:");
    for (const std::string &header : request.headers)
      transfer.headers = curl_slist_append(transfer.headers, header.c_str());
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.error);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(request.timeout.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(request.connect_timeout.count()));
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    // Over TLS the server may offer HTTP/2: a burst of requests then waits
    // for the first connection's answer and shares it rather than opening
    // one connection each. Plain http:// is HTTP/1.1 here, where waiting
    // would only serialize the burst behind a busy connection.
    if (request.url.starts_with("https://"))
      curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    transfer.state = Transfer::State::Running;
    attempts_.fetch_add(1, std::memory_order_relaxed);
    if (CURLMcode code = curl_multi_add_handle(multi_, easy); code != CURLM_OK) {
      release_handle(transfer);
      end_attempt(transfer, AttemptEnd::Other, std::nullopt, now);
      transfer.attempts.push_back(std::string("not started: ") +
                                  curl_multi_strerror(code));
      Outcome outcome;
      outcome.error = transfer.attempts.back();
      finish(transfer, std::move(outcome));
    }
  }

  /// Detaches the running attempt's handle and keeps it for the next one:
  /// a reset handle forgets its options but keeps its caches.
  void release_handle(Transfer &transfer) {
    curl_multi_remove_handle(multi_, transfer.easy);
    curl_easy_reset(transfer.easy);
    idle_.push_back(transfer.easy);
    transfer.easy = nullptr;
    curl_slist_free_all(transfer.headers);
    transfer.headers = nullptr;
  }

  /// Handles the attempts libcurl reports done; whether any exchange ended.
  bool collect() {
    bool any = false;
    int left = 0;
    while (CURLMsg *message = curl_multi_info_read(multi_, &left)) {
      if (message->msg != CURLMSG_DONE)
        continue;
      Transfer *transfer = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
      attempt_done(*transfer, message->data.result);
      any = true;
    }
    return any;
  }

  void attempt_done(Transfer &transfer, CURLcode code) {
    Clock::time_point now = Clock::now();
    CURL *easy = transfer.easy;
    long status = 0;
    char *content_type = nullptr;
    curl_off_t retry_after_s = -1;
    long connects = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type);
    curl_easy_getinfo(easy, CURLINFO_RETRY_AFTER, &retry_after_s);
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    connections_.fetch_add(static_cast<std::uint64_t>(connects),
                           std::memory_order_relaxed);
    std::optional<HttpResponse> response;
    if (code == CURLE_OK)
      response = HttpResponse{status, content_type ? content_type : "",
                              std::move(transfer.body)};
    std::string transport_error;
    if (code != CURLE_OK)
      transport_error =
          transfer.too_large
              ? "response larger than " +
                    std::to_string(max_response_bytes >> 20) + " MiB"
              : std::string(curl_easy_strerror(code)) +
                    (transfer.error[0] ? std::string(": ") + transfer.error
                                       : std::string());
    release_handle(transfer);

    // Short, as the list may be long; the last attempt's details go into
    // the outcome's error.
    transfer.attempts.push_back(code == CURLE_OK
                                    ? "HTTP " + std::to_string(status)
                                    : curl_easy_strerror(code));
    if (response && status >= 200 && status < 300) {
      end_attempt(transfer, AttemptEnd::Succeeded, refund(transfer, *response),
                  now);
      Outcome outcome;
      outcome.end = Outcome::End::Succeeded;
      outcome.response = std::move(response);
      return finish(transfer, std::move(outcome));
    }
    end_attempt(transfer,
                response && status == 429 ? AttemptEnd::Throttled
                                          : AttemptEnd::Other,
                std::nullopt, now);

    Outcome failed;
    failed.response = std::move(response);
    failed.error = transport_error;
    bool retryable = code == CURLE_OK ? retryable_status(status)
                                      : transient(code);
    int retries = static_cast<int>(transfer.attempts.size()) - 1;
    const RetryPolicy &policy = transfer.exchange.retry;
    if (!retryable || retries >= policy.max_retries)
      return finish(transfer, std::move(failed));
    std::chrono::milliseconds retry_after(
        std::max<curl_off_t>(0, retry_after_s) * 1000);
    if (retry_after > policy.backoff_max) {
      failed.error = "the server asked to wait " +
                     std::to_string(retry_after_s) +
                     " s before retrying, longer than the longest backoff (" +
                     std::to_string(policy.backoff_max.count()) + " ms)";
      return finish(transfer, std::move(failed));
    }
    Clock::time_point when =
        now + std::max<Clock::duration>(backoff(policy, retries + 1),
                                        retry_after);
    transfer.state = Transfer::State::Delayed;
    transfer.delayed = delayed_.emplace(when, &transfer);
  }

  /// The jittered delay before retry \p retry (1-based): uniform in
  /// [d/2, d] so that a burst of failures does not come back as a burst.
  Clock::duration backoff(const RetryPolicy &policy, int retry) {
    double base = static_cast<double>(policy.backoff_base.count());
    double limit = static_cast<double>(policy.backoff_max.count());
    double full = std::min(limit, base * std::pow(2.0, retry - 1));
    std::uniform_real_distribution<double> jitter(full / 2, full);
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double, std::milli>(jitter(random_)));
  }

  /// The call's estimated tokens minus what the response says it spent,
  /// to correct the budget; nullopt when unknown or unneeded.
  std::optional<double> refund(Transfer &transfer,
                               const HttpResponse &response) {
    if ((!transfer.broker && transfer.endpoint->budget.tokens_unlimited()) ||
        !transfer.exchange.tokens_used)
      return std::nullopt;
    std::optional<double> used;
    try {
      used = transfer.exchange.tokens_used(response);
    } catch (...) {
      // The caller's parse of the body reports the problem; the estimate
      // stands.
    }
    if (!used)
      return std::nullopt;
    return transfer.exchange.estimated_tokens - *used;
  }

  void finish(Transfer &transfer, Outcome outcome) {
    outcome.attempts = std::move(transfer.attempts);
    std::function<void(Outcome)> done = std::move(transfer.exchange.done);
    // Erased first: `done` may submit a follow-up exchange.
    live_.erase(transfer.id);
    active_.fetch_sub(1, std::memory_order_relaxed);
    try {
      done(std::move(outcome));
    } catch (...) {
      // `done` reports its own failures; the loop must go on.
    }
  }

  /// How long poll may sleep: until the next backoff ends or the next
  /// budget refills for a waiting exchange; libcurl shortens it for its
  /// own timeouts, and a wakeup ends it early.
  int wait_for(Clock::time_point now) {
    Clock::time_point until = now + std::chrono::seconds(1);
    if (!delayed_.empty())
      until = std::min(until, delayed_.begin()->first);
    for (auto &[key, endpoint] : endpoints_) {
      if (endpoint->queue.empty() || !endpoint->budget.has_room())
        continue;
      double tokens = endpoint->queue.front()->exchange.estimated_tokens;
      until = std::min(until, endpoint->budget.ready_at(tokens, now));
    }
    // Rounded up: waking a little early would spin until the instant.
    auto wait = std::chrono::ceil<std::chrono::milliseconds>(until - now);
    return static_cast<int>(std::max<std::int64_t>(0, wait.count()));
  }

  // Shared with other threads.
  std::mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> incoming_;
  std::vector<Id> cancels_;
  std::vector<Id> granted_;
  Id next_id_ = 1;
  CURLM *multi_ = nullptr;
  std::atomic<std::uint64_t> submitted_{0};
  std::atomic<std::uint64_t> attempts_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> active_{0};

  // The I/O thread's own.
  /// A permit asked for and not granted yet, kept apart from its transfer,
  /// which a cancellation may end before the permit comes.
  struct PendingPermit {
    std::shared_ptr<BudgetBroker> broker;
    double tokens = 0;
  };
  std::unordered_map<Id, PendingPermit> pending_permits_;
  std::unordered_map<Id, std::unique_ptr<Transfer>> live_;
  std::map<std::string, std::unique_ptr<Endpoint>> endpoints_;
  std::multimap<Clock::time_point, Transfer *> delayed_;
  std::vector<CURL *> idle_;
  std::mt19937_64 random_{std::random_device{}()};
};

BudgetBroker::~BudgetBroker() = default;

void install_budget_broker(std::shared_ptr<BudgetBroker> broker) {
  std::lock_guard lock(broker_mutex);
  installed_broker = std::move(broker);
}

HttpClient &HttpClient::global() {
  static HttpClient *client = new HttpClient();
  return *client;
}

HttpClient::HttpClient() : loop_(std::make_unique<Loop>()) {}
HttpClient::~HttpClient() = default;

HttpClient::Id HttpClient::submit(Exchange exchange) {
  return loop_->submit(std::move(exchange));
}

void HttpClient::cancel(Id id) { loop_->cancel(id); }

HttpClient::Stats HttpClient::stats() const { return loop_->stats(); }

} // namespace xcs::net
