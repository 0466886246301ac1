package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.RawClient;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard's files on the admin listener: what is served, with which caching and safety headers. */
class DashboardFilesTest {
  @RegisterExtension
  static final EdgeExtension edge = EdgeExtension.create().perClass().extra("admin: 127.0.0.1:0\n")
      .zones(EdgeExtension.zone("shop.example", ""));

  private static RawClient.Response get(String path, String... headers) throws Exception {
    InetSocketAddress admin = edge.node().adminAddress();
    return RawClient.get(admin, "127.0.0.1", path, headers);
  }

  @Test
  void rootIsTheDashboardPageWithoutATokenRevalidatedByItsContentTag() throws Exception {
    RawClient.Response r = get("/");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("text/html");
    assertThat(r.body()).contains("<script type=\"module\" src=\"/dashboard/app.js\"></script>");
    assertThat(r.header("cache-control")).isEqualTo("no-cache");
    assertThat(r.header("etag")).matches("\"[0-9a-f]{32}\"");
    assertThat(r.header("content-security-policy")).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'");
    assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");

    RawClient.Response again = get("/", "If-None-Match: " + r.header("etag"));
    assertThat(again.status()).isEqualTo(304);
    assertThat(again.bodyBytes()).isEmpty();
  }

  @Test
  void eachFileHasItsOwnTagAndAStaleTagGetsTheFile() throws Exception {
    RawClient.Response app = get("/dashboard/app.js");
    assertThat(app.status()).isEqualTo(200);
    assertThat(app.header("content-type")).contains("javascript");
    assertThat(app.header("etag")).isNotEqualTo(get("/dashboard/index.html").header("etag"));
    assertThat(get("/dashboard/app.js", "If-None-Match: \"0123456789abcdef0123456789abcdef\"").status()).isEqualTo(200);
  }

  @Test
  void uplotComesFromItsWebJarUnderItsVersionCachedForAYear() throws Exception {
    RawClient.Response js = get("/dashboard/uplot/" + DashboardModule.UPLOT_VERSION + "/uPlot.esm.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.body()).contains("export { uPlot as default }");
    assertThat(js.header("cache-control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(get("/dashboard/uplot/" + DashboardModule.UPLOT_VERSION + "/uPlot.min.css").status()).isEqualTo(200);
    // the page links the version the module serves
    assertThat(get("/").body()).contains(DashboardModule.UPLOT_PATH + "uPlot.min.css");
  }

  @Test
  void aFileThatIsNotThereIs404AndNoPathLeavesTheDashboardDirectory() throws Exception {
    assertThat(get("/dashboard/nothing.js").status()).isEqualTo(404);
    assertThat(get("/dashboard/nothing.js").header("etag")).isNull();
    assertThat(get("/dashboard/../io/edgeray/EdgeNode.class").status()).isIn(400, 404);
    assertThat(get("/dashboard/%2e%2e/logback.xml").status()).isIn(400, 404);
  }
}
