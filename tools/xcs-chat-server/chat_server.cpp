//===- chat_server.cpp - A loopback chat-completions server ---------------===//

#include "chat_server.h"

#include "xcs/json.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <pthread.h>
#include <time.h>
#include <thread>

namespace xcs::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Reply Reply::completion(const std::string &content,
                        const std::string &finish_reason, int prompt_tokens,
                        int completion_tokens) {
  Record message{{"role", "assistant"}, {"content", content}};
  Record choice{{"index", 0},
                {"message", Value::record(message)},
                {"finish_reason", finish_reason}};
  Record usage{{"prompt_tokens", prompt_tokens},
               {"completion_tokens", completion_tokens},
               {"total_tokens", prompt_tokens + completion_tokens}};
  Record body{{"id", "chatcmpl-test"},
              {"object", "chat.completion"},
              {"model", "test"},
              {"choices", Value::list({Value::record(choice)})},
              {"usage", Value::record(usage)}};
  Reply reply;
  reply.body = to_json(body);
  return reply;
}

Reply Reply::error(unsigned status, const std::string &message) {
  Reply reply;
  reply.status = status;
  reply.body = to_json(Record{
      {"error", Value::record(Record{{"message", message},
                                     {"type", "test_error"}})}});
  return reply;
}

Reply Reply::stall() {
  Reply reply;
  reply.action = Action::Stall;
  return reply;
}

Reply Reply::drop() {
  Reply reply;
  reply.action = Action::Drop;
  return reply;
}

Reply ChatServer::echo(const SeenRequest &request) {
  std::string last;
  try {
    Value body = parse_json(request.body, "request");
    auto messages = body.as_record().at("messages").as_list();
    last = std::string(messages.back().as_record().at("content").as_string());
  } catch (const std::exception &error) {
    return Reply::error(400, std::string("bad request: ") + error.what());
  }
  return Reply::completion("echo: " + last, "stop",
                           static_cast<int>(last.size() / 4 + 1), 3);
}

class ChatServer::Impl {
public:
  explicit Impl(Options options)
      : options_(std::move(options)), acceptor_(context_) {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), options_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
  }

  void start() {
    accept();
    thread_ = std::thread([this] { context_.run(); });
  }

  void stop() {
    context_.stop();
    thread_.join();
  }

  /// Records \p request and picks its reply; counts it in progress.
  Reply handle(SeenRequest request) {
    Handler handler;
    std::size_t index;
    {
      std::lock_guard lock(mutex_);
      index = count_++;
      peak_ = std::max(peak_, ++in_progress_);
      if (options_.record)
        seen_.push_back(request);
      handler = handler_;
    }
    if (!options_.required_key.empty()) {
      auto auth = request.headers.find("authorization");
      if (auth == request.headers.end() ||
          auth->second != "Bearer " + options_.required_key)
        return Reply::error(401, "Incorrect API key provided");
    }
    return handler ? handler(request, index) : echo(request);
  }

  void answered() {
    std::lock_guard lock(mutex_);
    --in_progress_;
  }

  std::chrono::milliseconds latency() const { return options_.latency; }

  Options options_;
  asio::io_context context_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::uint16_t port_ = 0;

  mutable std::mutex mutex_;
  Handler handler_;
  std::vector<SeenRequest> seen_;
  std::size_t count_ = 0;
  int in_progress_ = 0;
  int peak_ = 0;
  int connections_ = 0;

private:
  void accept();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket socket, ChatServer::Impl &server)
      : stream_(std::move(socket)), timer_(stream_.get_executor()),
        server_(server) {}

  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_,
                     [self = shared_from_this()](beast::error_code error,
                                                 std::size_t) {
                       if (!error)
                         self->on_request();
                     });
  }

private:
  void on_request() {
    SeenRequest seen;
    seen.arrived = ServerClock::now();
    seen.method = std::string(request_.method_string());
    seen.target = std::string(request_.target());
    for (const auto &field : request_) {
      std::string name(field.name_string());
      std::ranges::transform(name, name.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
      });
      seen.headers[name] = std::string(field.value());
    }
    seen.body = request_.body();
    Reply reply = server_.handle(std::move(seen));
    switch (reply.action) {
    case Reply::Action::Drop: {
      server_.answered();
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.socket().close(ignored);
      return;
    }
    case Reply::Action::Stall:
      // Holds the connection (and this session) until the server stops.
      timer_.expires_after(std::chrono::hours(1));
      timer_.async_wait([self = shared_from_this()](beast::error_code) {});
      return;
    case Reply::Action::Respond:
      break;
    }
    response_ = {};
    response_.version(request_.version());
    response_.result(reply.status);
    response_.set(http::field::server, "xcs-chat-server");
    if (!reply.content_type.empty())
      response_.set(http::field::content_type, reply.content_type);
    for (const auto &[name, value] : reply.headers)
      response_.set(name, value);
    response_.keep_alive(request_.keep_alive());
    response_.body() = std::move(reply.body);
    response_.prepare_payload();
    std::chrono::milliseconds delay =
        reply.delay.count() >= 0 ? reply.delay : server_.latency();
    if (delay.count() == 0)
      return write();
    timer_.expires_after(delay);
    timer_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error)
        self->write();
    });
  }

  void write() {
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code error,
                                                  std::size_t) {
                        self->server_.answered();
                        if (error || !self->response_.keep_alive())
                          return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  ChatServer::Impl &server_;
};

} // namespace

void ChatServer::Impl::accept() {
  acceptor_.async_accept([this](beast::error_code error, tcp::socket socket) {
    if (!error) {
      socket.set_option(tcp::no_delay(true));
      {
        std::lock_guard lock(mutex_);
        ++connections_;
      }
      std::make_shared<Session>(std::move(socket), *this)->read();
    }
    accept();
  });
}

ChatServer::ChatServer(Options options)
    : impl_(std::make_shared<Impl>(std::move(options))) {
  impl_->start();
}

ChatServer::~ChatServer() { impl_->stop(); }

void ChatServer::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex_);
  impl_->handler_ = std::move(handler);
}

std::uint16_t ChatServer::port() const { return impl_->port_; }

std::string ChatServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port()) + "/v1";
}

std::vector<SeenRequest> ChatServer::requests() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->seen_;
}

std::size_t ChatServer::request_count() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->count_;
}

int ChatServer::peak_concurrency() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->peak_;
}

int ChatServer::connections() const {
  std::lock_guard lock(impl_->mutex_);
  return impl_->connections_;
}

double ChatServer::cpu_seconds() const {
  clockid_t clock;
  timespec used{};
  if (pthread_getcpuclockid(impl_->thread_.native_handle(), &clock) != 0 ||
      clock_gettime(clock, &used) != 0)
    return 0;
  return static_cast<double>(used.tv_sec) + used.tv_nsec * 1e-9;
}

void ChatServer::reset() {
  std::lock_guard lock(impl_->mutex_);
  impl_->seen_.clear();
  impl_->count_ = 0;
  impl_->peak_ = impl_->in_progress_;
  impl_->connections_ = 0;
}

} // namespace xcs::testing
