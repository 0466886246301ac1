package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Signing in to the dashboard in a real Chromium, and what a session may and may not do. */
class DashboardSessionTest {
  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  private FaultyOrigin origin;
  private Dashboard dashboard;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start();
    edge.start(Dashboard.adminYaml(), """
          - name: shop.example
            origin_ports: { http: %d }
            records:
              - { type: A, name: "@", content: 127.0.0.1, proxied: true }
        """.formatted(origin.port()));
    dashboard = new Dashboard(browser, edge);
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void signingInWithATokenShowsTheOverviewUnderTheTokensNameAndSurvivesAReload() {
    browser.open(dashboard.url());
    browser.waitFor(By.id("token")).sendKeys("edr_not-a-token-of-this-edge");
    browser.driver().findElement(By.id("signin-button")).click();
    assertThat(dashboard.notice("error")).isEqualTo("this token is not one of the edge's admin tokens");

    browser.driver().findElement(By.id("token")).clear();
    browser.driver().findElement(By.id("token")).sendKeys(Dashboard.OWNER);
    browser.driver().findElement(By.id("signin-button")).click();
    assertThat(browser.waitFor(By.id("identity")).getText()).isEqualTo("owner · edit");
    browser.waitForText(By.cssSelector("#overview h2"), "Overview of shop.example");

    browser.driver().navigate().refresh(); // the HttpOnly cookie is the session; the page asks who it is
    assertThat(browser.waitFor(By.id("identity")).getText()).isEqualTo("owner · edit");
    assertThat(browser.script("return document.cookie")).isEqualTo(""); // HttpOnly: no script can read it

    browser.driver().findElement(By.id("signout")).click();
    browser.waitFor(By.id("signin"));
    browser.driver().navigate().refresh();
    browser.waitFor(By.id("signin"));
  }

  @Test
  void aReadOnlyTokensSessionCannotChangeAnything() throws Exception {
    dashboard.signIn(Dashboard.VIEWER);
    assertThat(browser.waitFor(By.id("identity")).getText()).isEqualTo("viewer · read");

    dashboard.go("pause");
    assertThat(dashboard.notice("info")).contains("read-only token");
    assertThat(browser.waitFor(By.id("pause-switch")).isEnabled()).isFalse();
    dashboard.go("dns");
    List<WebElement> switches = browser.all(By.cssSelector("[data-test=proxied-switch]"));
    assertThat(switches).isNotEmpty().allMatch(s -> !s.isEnabled());

    // the page's controls are only a courtesy: the API itself refuses, even with the session's CSRF value
    String csrf = dashboard.csrf();
    assertThat(dashboard.fetchFromPage("PATCH", "/api/zones/shop.example/settings", "{\"paused\": true}", csrf))
        .startsWith("403 ").contains("\"code\":\"scope_insufficient\"");
    assertThat(dashboard.fetchFromPage("POST", "/api/zones/shop.example/purge", "{\"everything\": true}", csrf))
        .startsWith("403 ").contains("\"code\":\"scope_insufficient\"");
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200); // not paused
  }

  @Test
  void aChangeWithoutTheCsrfTokenIsRefusedThoughTheSessionCookieIsSent() throws Exception {
    dashboard.signIn(Dashboard.OWNER);
    assertThat(dashboard.fetchFromPage("PATCH", "/api/zones/shop.example/settings", "{\"paused\": true}", null))
        .startsWith("403 ").contains("\"code\":\"csrf_missing\"");
    assertThat(dashboard.fetchFromPage("PATCH", "/api/zones/shop.example/settings", "{\"paused\": true}", "forged"))
        .startsWith("403 ").contains("\"code\":\"csrf_invalid\"");
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200); // not paused
    // reading needs no CSRF value
    assertThat(dashboard.fetchFromPage("GET", "/api/zones", null, null)).startsWith("200 ").contains("shop.example");
  }

  @Test
  void everyPageDrawsWithoutAScriptError() {
    dashboard.signIn(Dashboard.OWNER);
    for (String page : List.of("overview", "dns", "ssl", "origins", "errors", "doctor", "pause", "caching", "security", "audit")) {
      dashboard.go(page);
      assertThat(browser.all(By.cssSelector("#main [data-test=notice-error]"))).as("error notice on " + page)
          .extracting(WebElement::getText).isEmpty();
      assertThat(scriptErrors()).as("console errors on " + page).isEmpty();
    }
  }

  /** Console errors but the browser's own line for each non-2xx answer (the API's 401 before sign-in, say). */
  private static List<String> scriptErrors() {
    return browser.consoleErrors().stream().filter(e -> !e.contains("Failed to load resource")).toList();
  }
}
