//! A blocking HTTP/1.1 client for the benchmarks, one kept-alive connection to a local server:
//! the request is written in one piece and the answer read whole, so what a timer around
//! [`Connection::send`] measures is the server's work plus the loopback round trip, with no
//! pool, redirect or retry logic of a general client in between. Response heads are read by
//! httparse (already built for hyper); bodies by `Content-Length` or chunked. Server-Sent
//! Events are read chunk by chunk ([`Connection::start`], [`Connection::next_chunk`]).
use std::io::{self, BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;

/// One connection to `host:port`.
pub struct Connection {
    reader: BufReader<TcpStream>,
    host: String,
}

/// An answer: its status and whole body.
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text, for messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// How an answer's body is delimited.
enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

fn invalid(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

impl Connection {
    /// Connects to `base`, `http://HOST:PORT`.
    pub fn open(base: &str) -> io::Result<Connection> {
        let host = base.strip_prefix("http://").unwrap_or(base).trim_end_matches('/').to_owned();
        let stream = TcpStream::connect(&host)?;
        stream.set_nodelay(true)?;
        Ok(Connection { reader: BufReader::with_capacity(64 * 1024, stream), host })
    }

    /// A second handle on the socket (to shut it down from another thread).
    pub fn socket(&self) -> io::Result<TcpStream> {
        self.reader.get_ref().try_clone()
    }

    /// Sends a request and reads the whole answer.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<Response> {
        let (status, framing) = self.start(method, path, headers, body)?;
        let body = match framing {
            Framing::Length(length) => {
                let mut body = vec![0; length];
                self.reader.read_exact(&mut body)?;
                body
            }
            Framing::Chunked => {
                let mut body = Vec::new();
                while let Some(chunk) = self.next_chunk()? {
                    body.extend_from_slice(&chunk);
                }
                body
            }
            Framing::UntilClose => {
                let mut body = Vec::new();
                self.reader.read_to_end(&mut body)?;
                body
            }
        };
        Ok(Response { status, body })
    }

    /// Sends a request and reads the answer's head; answers its status and framing.
    fn start(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> io::Result<(u16, Framing)> {
        let mut request = format!("{method} {path} HTTP/1.1\r\nhost: {}\r\n", self.host);
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        if !body.is_empty() || method != "GET" {
            request.push_str(&format!("content-length: {}\r\n", body.len()));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        self.reader.get_mut().write_all(&bytes)?;
        self.read_head()
    }

    /// Opens a stream (`GET path`, e.g. Server-Sent Events); answers its status. Read it with
    /// [`Connection::next_chunk`].
    pub fn open_stream(&mut self, path: &str, headers: &[(&str, &str)]) -> io::Result<u16> {
        let (status, framing) = self.start("GET", path, headers, b"")?;
        match framing {
            Framing::Chunked => Ok(status),
            _ => Err(invalid(format!("GET {path} answered {status} without a chunked stream"))),
        }
    }

    fn read_head(&mut self) -> io::Result<(u16, Framing)> {
        let mut head = Vec::new();
        loop {
            let before = head.len();
            if self.reader.read_until(b'\n', &mut head)? == 0 {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection"));
            }
            if head[before..] == *b"\r\n" && before > 0 {
                break;
            }
        }
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        match response.parse(&head) {
            Ok(httparse::Status::Complete(_)) => {}
            Ok(httparse::Status::Partial) => return Err(invalid("an incomplete response head")),
            Err(error) => return Err(invalid(format!("an unreadable response head: {error}"))),
        }
        let status = response.code.unwrap_or(0);
        let value = |name: &str| {
            response
                .headers
                .iter()
                .find(|header| header.name.eq_ignore_ascii_case(name))
                .map(|header| String::from_utf8_lossy(header.value).trim().to_ascii_lowercase())
        };
        let framing = if value("transfer-encoding").is_some_and(|value| value.contains("chunked")) {
            Framing::Chunked
        } else if let Some(length) = value("content-length") {
            Framing::Length(length.parse().map_err(|_| invalid(format!("content-length {length}")))?)
        } else {
            Framing::UntilClose
        };
        Ok((status, framing))
    }

    /// The next chunk of a chunked body, `None` after the last.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        if self.reader.read_until(b'\n', &mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the stream ended"));
        }
        let size = match httparse::parse_chunk_size(&line) {
            Ok(httparse::Status::Complete((_, size))) => {
                usize::try_from(size).map_err(|_| invalid("a chunk too large"))?
            }
            _ => {
                return Err(invalid(format!(
                    "an unreadable chunk size {:?}",
                    String::from_utf8_lossy(&line)
                )));
            }
        };
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                line.clear();
                if self.reader.read_until(b'\n', &mut line)? == 0 || line == b"\r\n" {
                    return Ok(None);
                }
            }
        }
        let mut chunk = vec![0; size + 2];
        self.reader.read_exact(&mut chunk)?;
        chunk.truncate(size);
        Ok(Some(chunk))
    }
}
