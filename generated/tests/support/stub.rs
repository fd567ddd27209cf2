//! A scripted HTTP/1.1 server on 127.0.0.1 for tests and examples: it records every request
//! exactly as it arrived and answers with the next scripted response (the last one repeats).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// One scripted answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Close the connection after reading the request, without answering.
    pub hang_up: bool,
    /// Send no `content-length`: the body ends when the connection closes.
    pub close_delimited: bool,
    /// Announce this `content-length` instead of the body's, then hold the connection open.
    pub declared_length: Option<u64>,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
            hang_up: false,
            close_delimited: false,
            declared_length: None,
        }
    }

    /// Reads the request, then closes the connection without a response.
    pub fn hang_up() -> Self {
        Reply {
            hang_up: true,
            ..Reply::raw(200, "text/plain", "")
        }
    }

    /// Announces `length` bytes but sends only the body, then keeps the connection open.
    pub fn declare_length(mut self, length: u64) -> Self {
        self.declared_length = Some(length);
        self
    }

    /// A body sent without `content-length`, ended by closing the connection.
    pub fn close_delimited(mut self) -> Self {
        self.close_delimited = true;
        self
    }

    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Reply {
            body,
            ..Reply::raw(status, content_type, "")
        }
    }

    pub fn raw(status: u16, content_type: &str, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
            hang_up: false,
            close_delimited: false,
            declared_length: None,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

pub struct Stub {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Stub {
    /// Starts a server answering with `replies` in order.
    pub async fn start(replies: Vec<Reply>) -> Stub {
        assert!(!replies.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        tokio::spawn(async move {
            let mut served = 0usize;
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let reply = replies[served.min(replies.len() - 1)].clone();
                served += 1;
                let recorded = recorded.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, reply, recorded).await;
                });
            }
        });
        Stub { addr, requests }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

async fn serve(
    mut stream: TcpStream,
    reply: Reply,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    recorded.lock().unwrap().push(Recorded {
        method,
        target,
        headers,
        body,
    });
    tokio::time::sleep(reply.delay).await;
    if reply.hang_up {
        return Ok(());
    }
    let mut response = format!("HTTP/1.1 {} Stub\r\nconnection: close\r\n", reply.status);
    if let Some(length) = reply.declared_length {
        response.push_str(&format!("content-length: {length}\r\n"));
    } else if !reply.close_delimited {
        response.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    stream.write_all(response.as_bytes()).await?;
    // A client that stops reading (a body over its limit) makes this fail: that is fine.
    stream.write_all(&reply.body).await?;
    if reply.declared_length.is_some() {
        tokio::time::sleep(Duration::from_secs(10)).await;
    }
    stream.shutdown().await
}
