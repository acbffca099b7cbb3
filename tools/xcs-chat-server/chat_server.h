//===- chat_server.h - A loopback chat-completions server -------*- C++ -*-===//
///
/// \file
/// A real HTTP/1.1 server (Boost.Beast over Asio, one thread) on
/// 127.0.0.1 and an ephemeral port, speaking enough of the chat-completions
/// protocol for tests and benchmarks of ops::chat_model: every reply waits
/// the configured latency on a timer (never a sleeping thread), and a
/// handler can inject the faults providers produce (429 with Retry-After,
/// 5xx, stalls, dropped connections, bodies that are not completions).
/// It records what it saw: each request's method, target, headers, body and
/// arrival time, the peak number of requests in progress, and the
/// connections it accepted.
///
/// Not part of libxcs: it serves the tests, the benchmarks and the
/// xcs-chat-server tool.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace xcs::testing {

using ServerClock = std::chrono::steady_clock;

/// What the server does with one request.
struct Reply {
  enum class Action {
    /// Waits `delay`, then answers.
    Respond,
    /// Never answers (until the client gives up or the server stops).
    Stall,
    /// Closes the connection without answering.
    Drop,
  };
  Action action = Action::Respond;
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  /// Negative: the server's latency.
  std::chrono::milliseconds delay{-1};

  /// A chat completion answering \p content.
  static Reply completion(const std::string &content,
                          const std::string &finish_reason = "stop",
                          int prompt_tokens = 5, int completion_tokens = 7);
  /// An error status with an OpenAI-style {"error": {"message"}} body.
  static Reply error(unsigned status, const std::string &message);
  static Reply stall();
  static Reply drop();
};

/// A request as the server read it. Header names are lower case.
struct SeenRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;
  std::string body;
  ServerClock::time_point arrived;
  /// Whether the header \p name (lower case) was sent.
  bool has(const std::string &name) const { return headers.count(name) != 0; }
};

class ChatServer {
public:
  struct Options {
    /// How long every reply waits by default.
    std::chrono::milliseconds latency{0};
    /// When not empty, a request without `Authorization: Bearer KEY` gets
    /// 401 (before the handler is asked).
    std::string required_key;
    /// Whether to keep every request (off for long benchmark runs).
    bool record = true;
    /// The port to listen on; 0: an ephemeral one.
    std::uint16_t port = 0;
  };
  /// Picks the reply to the \p index-th request (0-based, in arrival
  /// order). Runs on the server's thread.
  using Handler = std::function<Reply(const SeenRequest &, std::size_t index)>;

  /// Starts listening and serving at once.
  explicit ChatServer(Options options);
  ChatServer() : ChatServer(Options{}) {}
  /// Stops serving: connections close, stalled requests end.
  ~ChatServer();

  /// Replaces the handler. By default each request is answered with a
  /// completion "echo: " + the last message's content.
  void set_handler(Handler handler);
  /// The default handler's reply to \p request.
  static Reply echo(const SeenRequest &request);

  std::uint16_t port() const;
  /// "http://127.0.0.1:PORT/v1".
  std::string base_url() const;

  std::vector<SeenRequest> requests() const;
  std::size_t request_count() const;
  /// The most requests read and not yet answered at any one time.
  int peak_concurrency() const;
  /// Connections accepted since the start (or the last reset).
  int connections() const;
  /// CPU time the server's thread has used, in seconds: what a benchmark
  /// sharing the process subtracts to get the client's.
  double cpu_seconds() const;
  /// Forgets the requests, the peak and the connection count.
  void reset();

  ChatServer(const ChatServer &) = delete;
  ChatServer &operator=(const ChatServer &) = delete;

  class Impl;

private:
  std::shared_ptr<Impl> impl_;
};

} // namespace xcs::testing
