package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Errors page: real origin failures, their ray ids, and each ray's story. */
class DashboardErrorsTest {
  private static final Pattern RAY_ON_PAGE = Pattern.compile("Ray ID: <code>([0-9a-f]{16}-T1)</code>");

  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().https();
  @TempDir Path dir;

  @Test
  void aRayIdCopiedFromARealErrorPageShowsThatRaysWholeStory() throws Exception {
    int refused = Ports.closedPort();
    edge.start(Dashboard.adminYaml(), """
          - name: shop.example
            origin_ports: { http: %d }
            records:
              - { type: A, name: "@", content: 127.0.0.1, proxied: true }
        """.formatted(refused));
    RawClient.Response page = edge.get("shop.example", "/basket");
    assertThat(page.status()).isEqualTo(521);
    String ray = rayOnPage(page.body());
    assertThat(ray).isEqualTo(page.header("edge-ray"));

    new Dashboard(browser, edge).signIn(Dashboard.OWNER).go("errors");
    browser.waitFor(By.id("ray-input")).sendKeys("Ray ID: " + ray); // pasted with its label, as people copy it
    browser.driver().findElement(By.cssSelector("#ray-form button")).click();

    WebElement story = browser.waitFor(By.id("ray-story"));
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/errors/" + ray);
    assertThat(story.findElement(By.tagName("h2")).getText()).isEqualTo("Ray " + ray);
    assertThat(browser.waitFor(By.id("ray-failure")).getText()).isEqualTo("CONNECTION_REFUSED");
    assertThat(browser.waitFor(By.id("visitor-page")).getText()).contains("Error 521", "Web server is down", "Ray ID: " + ray);
    assertThat(story.getText()).contains("GET shop.example/basket", "127.0.0.1:" + refused);
    assertThat(browser.all(By.cssSelector("[data-test=attempt-row]"))).hasSize(1).first()
        .satisfies(row -> assertThat(row.getText()).contains("127.0.0.1:" + refused, "CONNECTION_REFUSED"));

    // and the same ray is among the latest errors, linked to its story
    WebElement row = browser.waitUntil("the 521 among the latest errors", d -> d.findElements(By.cssSelector("[data-test=error-row]"))
        .stream().filter(r -> r.getText().contains(ray)).findFirst().orElse(null));
    assertThat(row.findElement(By.cssSelector("[data-test=error-status]")).getText()).isEqualTo("521");
  }

  @Test
  void switchingToFullStrictInFrontOfASelfSignedOriginShows526OnTheErrorsPage() throws Exception {
    TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
    try (FaultyOrigin origin = FaultyOrigin.startTls(pki, Fault.SELF_SIGNED_CERTIFICATE, "shop.example")) {
      edge.start(Dashboard.adminYaml(), """
            - name: shop.example
              ssl: full
              origin_ports: { http: %d, https: %d }
              %s
              records:
                - { type: A, name: "@", content: 127.0.0.1, proxied: true }
          """.formatted(Ports.closedPort(), origin.port(), pki.issue("shop.example").yaml()));
      assertThat(edge.getTls(pki.clientContext(), "shop.example", "/").status()).isEqualTo(200); // full: not checked

      Dashboard dashboard = new Dashboard(browser, edge).signIn(Dashboard.OWNER).go("ssl");
      assertThat(browser.waitFor(By.cssSelector("label.mode.current")).getText()).startsWith("Full — current");
      WebElement strict = browser.waitFor(By.cssSelector("label[for=ssl-full_strict]"));
      assertThat(strict.getText()).contains("must be valid", "526");
      browser.driver().findElement(By.id("ssl-full_strict")).click();
      browser.driver().findElement(By.id("ssl-save")).click();
      browser.waitForText(By.cssSelector("label.mode.current"), "Full (strict) — current");

      String[] ray = new String[1];
      Await.until(Duration.ofSeconds(5), () -> {
        RawClient.Response r = tls(pki);
        ray[0] = r == null ? null : r.header("edge-ray");
        return r != null && r.status() == 526;
      }, "526 from the self-signed origin");

      dashboard.go("errors");
      WebElement row = browser.waitUntil("the 526 among the latest errors", d -> d.findElements(By.cssSelector("[data-test=error-row]"))
          .stream().filter(r -> r.getText().contains(ray[0])).findFirst().orElse(null));
      assertThat(row.findElement(By.cssSelector("[data-test=error-status]")).getText()).isEqualTo("526");
      assertThat(row.getText()).contains("TLS_CERTIFICATE");
      row.findElement(By.cssSelector("[data-test=ray-link]")).click();
      assertThat(browser.waitFor(By.id("ray-failure")).getText()).isEqualTo("TLS_CERTIFICATE");
      assertThat(browser.waitFor(By.id("visitor-page")).getText()).contains("Error 526", "Invalid SSL certificate");
    }
  }

  private RawClient.Response tls(TestPki pki) {
    try {
      return edge.getTls(pki.clientContext(), "shop.example", "/");
    } catch (IOException e) {
      return null;
    }
  }

  private static String rayOnPage(String html) {
    Matcher m = RAY_ON_PAGE.matcher(html);
    if (!m.find()) throw new AssertionError("no ray id on the page:\n" + html);
    return m.group(1);
  }
}
