package io.edgeray.bench;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/** Realistic header sets: what a browser sends for a page, and what nginx answers for a static file. */
final class Fixtures {
  private Fixtures() {}

  static HttpHeaders browserRequest() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Host", "shop.example");
    h.add("Connection", "keep-alive");
    h.add("Cache-Control", "max-age=0");
    h.add("sec-ch-ua", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"");
    h.add("sec-ch-ua-mobile", "?0");
    h.add("sec-ch-ua-platform", "\"Linux\"");
    h.add("Upgrade-Insecure-Requests", "1");
    h.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36");
    h.add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8");
    h.add("Sec-Fetch-Site", "same-origin");
    h.add("Sec-Fetch-Mode", "navigate");
    h.add("Sec-Fetch-User", "?1");
    h.add("Sec-Fetch-Dest", "document");
    h.add("Referer", "https://shop.example/catalog/shoes?page=2");
    h.add("Accept-Encoding", "gzip, deflate, br, zstd");
    h.add("Accept-Language", "en-GB,en;q=0.9,nl;q=0.8");
    h.add("Cookie", "session=3f9a1c0d2b4e6a718f3a1c0d2b4e6a71; cart=17; consent=analytics%3Dfalse%26ads%3Dfalse; theme=dark");
    return h;
  }

  static HttpHeaders nginxResponse() {
    HttpHeaders h = new DefaultHttpHeaders();
    h.add("Server", "nginx/1.22.1");
    h.add("Date", "Mon, 23 Nov 2026 10:00:00 GMT");
    h.add("Content-Type", "text/html; charset=utf-8");
    h.add("Content-Length", "18342");
    h.add("Last-Modified", "Fri, 20 Nov 2026 08:12:44 GMT");
    h.add("Connection", "keep-alive");
    h.add("Keep-Alive", "timeout=75");
    h.add("ETag", "\"6751a2cc-47a6\"");
    h.add("Cache-Control", "public, max-age=300");
    h.add("Vary", "Accept-Encoding");
    h.add("Accept-Ranges", "bytes");
    return h;
  }
}
