package io.edgeray.dashboard;

import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard as a test uses it, through the page like a person: two tokens (an edit token
 * "owner", a read token "viewer"), sign in, go to a page, read the notice the page shows.
 */
final class Dashboard {
  static final String OWNER = token();
  static final String VIEWER = token();

  private final Browser browser;
  private final EdgeExtension edge;

  Dashboard(Browser browser, EdgeExtension edge) {
    this.browser = browser;
    this.edge = edge;
  }

  /** The admin listener with the two tokens (only their hashes are in the config), and the edge's own DNS. */
  static String adminYaml() {
    return "admin:\n"
        + "  listen: 127.0.0.1:0\n"
        + "  tokens:\n"
        + "    - { name: owner, scope: edit, hash: \"" + hash(OWNER) + "\" }\n"
        + "    - { name: viewer, scope: read, hash: \"" + hash(VIEWER) + "\" }\n";
  }

  String url() {
    return "http://127.0.0.1:" + edge.node().adminAddress().getPort() + "/";
  }

  /** Opens the dashboard, signs in with the token and waits for the Overview. */
  Dashboard signIn(String token) {
    browser.open(url());
    browser.waitFor(By.id("token")).sendKeys(token);
    browser.driver().findElement(By.id("signin-button")).click();
    browser.waitFor(By.id("identity"));
    return this;
  }

  /** Goes to a page by its link in the page list and waits until it is drawn. */
  Dashboard go(String page) {
    browser.waitFor(By.id("nav-" + page)).click();
    browser.waitUntil("page " + page + " drawn", d -> page.equals(d.findElement(By.id("main")).getAttribute("data-page"))
        && d.findElements(By.cssSelector("#main > .loading")).isEmpty());
    return this;
  }

  WebElement waitFor(By by) {
    return browser.waitFor(by);
  }

  /** The text of the first notice of this kind (error, ok, info) the page shows, once it shows one. */
  String notice(String kind) {
    return browser.waitFor(By.cssSelector("[data-test=notice-" + kind + "]")).getText();
  }

  /**
   * Sends an API request from inside the signed-in page, with the page's cookie, as a script on
   * the page could; {@code csrf} is the header's value, or null to leave it out. Answers
   * "status body".
   */
  String fetchFromPage(String method, String path, String body, String csrf) {
    return (String) browser.asyncScript(
        "const [method, path, body, csrf, done] = arguments;"
            + "const headers = {'Content-Type': 'application/json'};"
            + "if (csrf !== null) headers['X-CSRF-Token'] = csrf;"
            + "fetch(path, {method, headers, body, credentials: 'same-origin'})"
            + ".then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('failed ' + e));",
        method, path, body, csrf);
  }

  /** The session's CSRF value, as GET /api/session tells the page. */
  String csrf() {
    String answer = fetchFromPage("GET", "/api/session", null, null);
    int at = answer.indexOf("\"csrf\":\"");
    if (!answer.startsWith("200 ") || at < 0) throw new AssertionError("no session: " + answer);
    return answer.substring(at + 8, answer.indexOf('"', at + 8));
  }

  private static String token() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "edr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String hash(String token) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
