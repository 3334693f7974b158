//! The flow.json upload body both APIs take: `multipart/form-data` with `file`, `name` and
//! `asset_type`. Built by hand: three small parts do not need reqwest's multipart feature.
/// A `multipart/form-data` body of the three parts the assets upload takes.
pub fn multipart(text: &str) -> (String, Vec<u8>) {
    let boundary = format!("flowsmith-{}", crate::ids::token(24));
    let mut body = Vec::with_capacity(text.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"flow.json\"\r\n\
             Content-Type: application/json\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(text.as_bytes());
    body.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nflow.json\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"asset_type\"\r\n\r\nFLOW_JSON\r\n--{boundary}--\r\n"
        )
        .as_bytes(),
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upload_body_has_the_three_parts() {
        let (content_type, body) = multipart("{\"version\":\"7.2\"}");
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(
            text.starts_with(&format!("--{boundary}\r\n")) && text.ends_with(&format!("--{boundary}--\r\n"))
        );
        for part in [
            "name=\"file\"; filename=\"flow.json\"",
            "{\"version\":\"7.2\"}",
            "FLOW_JSON",
            "name=\"name\"\r\n\r\nflow.json",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }
}
