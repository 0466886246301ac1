package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The Security and Caching pages change what visitors get: a firewall rule added in the page
 * blocks the next real request through the edge, its switch turns it off, a bad expression shows
 * CEL's error beside the field and changes nothing, and the cache settings saved are the zone's.
 */
class DashboardSecurityTest {
  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  private FaultyOrigin origin;
  private Dashboard dashboard;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start();
    edge.start(Dashboard.adminYaml(), EdgeExtension.zone("shop.example", "origin_ports: { http: " + origin.port() + " }"));
    dashboard = new Dashboard(browser, edge).signIn(Dashboard.OWNER);
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void aRuleAddedInTheDashboardBlocksTheNextVisitorWith1020AndItsSwitchTurnsItOff() throws Exception {
    assertThat(edge.get("shop.example", "/private/report").status()).isEqualTo(200);
    dashboard.go("security");
    browser.waitFor(By.id("fw-id")).sendKeys("no-private");
    browser.driver().findElement(By.id("fw-description")).sendKeys("Nothing private here");
    browser.driver().findElement(By.id("fw-expression")).sendKeys("http.request.uri.path.startsWith(\"/private\")");
    browser.driver().findElement(By.id("fw-save")).click();

    WebElement row = ruleRow("no-private");
    assertThat(row.findElement(By.cssSelector("[data-test=rule-switch]")).getText()).isEqualTo("On");
    RawClient.Response blocked = edge.get("shop.example", "/private/report");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.body()).contains("1020", "Nothing private here");

    row.findElement(By.cssSelector("[data-test=rule-switch]")).click();
    browser.waitUntil("the rule shown off", d -> ruleRow("no-private").findElement(By.cssSelector("[data-test=rule-switch]"))
        .getText().equals("Off"));
    assertThat(edge.get("shop.example", "/private/report").status()).isEqualTo(200);
    assertThat(Files.readString(edge.configFile())).contains("id: no-private", "enabled: false");
  }

  @Test
  void aBadExpressionShowsCelsErrorBesideTheFieldAndChangesNothing() throws Exception {
    String before = Files.readString(edge.configFile());
    dashboard.go("security");
    browser.waitFor(By.id("fw-id")).sendKeys("typo");
    browser.driver().findElement(By.id("fw-expression")).sendKeys("http.hots == \"shop.example\"");
    browser.driver().findElement(By.id("fw-save")).click();

    WebElement error = browser.waitForText(By.id("fw-expression-error"), "column ");
    assertThat(error.getText()).contains("column 1: undeclared reference to 'http'");
    assertThat(Files.readString(edge.configFile())).isEqualTo(before);
    assertThat(edge.admin().as(Dashboard.OWNER).get("/api/zones/shop.example/firewall").json()).isEmpty();
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
  }

  @Test
  void theCachingPageSavesTheZonesCacheSettings() throws Exception {
    dashboard.go("caching");
    WebElement ttl = browser.waitFor(By.id("cache-default-ttl"));
    assertThat(ttl.getAttribute("value")).isEqualTo("2h");
    ttl.clear();
    ttl.sendKeys("3h");
    browser.driver().findElement(By.id("cache-banner")).click();
    browser.driver().findElement(By.id("cache-save")).click();
    browser.waitUntil("the saved settings drawn again", d -> "3h".equals(d.findElement(By.id("cache-default-ttl")).getAttribute("value"))
        && d.findElement(By.id("cache-banner")).isSelected());

    var cache = edge.admin().as(Dashboard.OWNER).get("/api/zones/shop.example").json().get("cache");
    assertThat(cache.get("default_ttl").asText()).isEqualTo("3h");
    assertThat(cache.get("always_online").get("banner").asBoolean()).isTrue();

    WebElement bad = browser.waitFor(By.id("cache-default-ttl"));
    bad.clear();
    bad.sendKeys("soon");
    browser.driver().findElement(By.id("cache-save")).click();
    assertThat(browser.waitForText(By.id("cache-default_ttl-error"), "soon").getText()).contains("is not a duration");
  }

  private WebElement ruleRow(String id) {
    return browser.waitUntil("the row of " + id, d -> d.findElements(By.cssSelector("[data-test=firewall-row]")).stream()
        .filter(row -> row.findElements(By.tagName("td")).size() > 1
            && row.findElements(By.tagName("td")).get(1).getText().equals(id)).findFirst().orElse(null));
  }
}
