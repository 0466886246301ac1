package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Pictures of the main pages over a real edge with some traffic and a failing origin, for the
 * README. They go to {@code target/screenshots}, or where {@code -Dscreenshots.dir} says:
 * {@code mvn -q -o -Dtest='io/edgeray/dashboard/DashboardScreenshotsTest' -Dscreenshots.dir=docs/img test}.
 */
class DashboardScreenshotsTest {
  private static final int WIDTH = 1100;
  private static final int PHONE = 390;

  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void theMainPagesArePhotographedWithRealTrafficAndAFailingOrigin() throws Exception {
    Path out = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
    int down = Ports.closedPort();
    try (FaultyOrigin up = FaultyOrigin.start()) {
      edge.start(Dashboard.adminYaml() + """
          pools:
            - name: web
              steering: round_robin
              retries: 0
              monitor: { type: tcp, interval: 1s, timeout: 1s }
              origins:
                - { name: a, address: 127.0.0.1, port: %d }
                - { name: b, address: 127.0.0.1, port: %d }
          """.formatted(up.port(), down), """
            - name: shop.example
              origin_ports: { http: %d }
              load_balancers:
                - { name: "@", pool: web }
              records:
                - { type: A, name: "@", content: 127.0.0.1, proxied: true }
                - { type: A, name: www, content: 127.0.0.1, proxied: true }
                - { type: A, name: api, content: 127.0.0.1, proxied: true }
                - { type: TXT, name: "@", content: "v=spf1 -all", proxied: false }
          """.formatted(down));
      String ray = null;
      for (int i = 0; i < 40; i++) { // bounded: 40 requests to the pool, every fourth to api, whose origin is down
        RawClient.Response r = edge.get(i % 4 == 3 ? "api.shop.example" : "shop.example", "/products/" + i);
        if (r.status() == 521) ray = r.header("edge-ray");
      }
      assertThat(ray).as("a 521 from api's origin").isNotNull();

      Dashboard dashboard = new Dashboard(browser, edge).signIn(Dashboard.OWNER);
      dashboard.go("overview");
      browser.waitFor(By.cssSelector("#overview .chart canvas"));
      shoot(out, "overview.png", WIDTH);
      dashboard.go("dns");
      shoot(out, "dns.png", WIDTH);
      dashboard.go("ssl");
      shoot(out, "ssl.png", WIDTH);
      dashboard.go("origins");
      // the page polls every 5 s: wait for a few health checks of each origin to be drawn
      new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector(".checks i")).size() >= 6);
      shoot(out, "origins.png", WIDTH);
      browser.open(dashboard.url() + "#/errors/" + ray);
      browser.waitFor(By.id("ray-story"));
      shoot(out, "errors.png", WIDTH);
      dashboard.go("pause");
      shoot(out, "pause.png", WIDTH);
      dashboard.go("doctor");
      browser.waitFor(By.id("doctor-host")).clear();
      browser.driver().findElement(By.id("doctor-host")).sendKeys("shop.example");
      browser.driver().findElement(By.id("doctor-run")).click();
      new WebDriverWait(browser.driver(), Duration.ofSeconds(90)).until(d -> !d.findElements(By.id("support-message")).isEmpty()
          || !d.findElements(By.cssSelector("#doctor-report [data-test=notice-error]")).isEmpty());
      shoot(out, "doctor.png", WIDTH);
      dashboard.go("overview");
      browser.waitFor(By.cssSelector("#overview .chart canvas"));
      shoot(out, "overview-phone.png", PHONE);
    }
    assertThat(Files.size(out.resolve("overview.png"))).isBetween(10_000L, 600_000L);
  }

  private static void shoot(Path dir, String name, int width) throws Exception {
    browser.screenshot(dir.resolve(name), width, width == PHONE ? 2000 : 1500);
  }
}
