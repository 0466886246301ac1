package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Changes made in the dashboard reach live traffic: the edge's DNS answers and what visitors get.
 * 203.0.113.10 (a documentation address) is the edge's published address: data in DNS answers
 * only, never connected to.
 */
class DashboardChangesTest {
  private static final Duration APPLIED = Duration.ofSeconds(5);

  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  private FaultyOrigin origin;
  private Dashboard dashboard;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start();
    edge.start(Dashboard.adminYaml() + "dns: 127.0.0.1:0\nedge:\n  addresses: [203.0.113.10]\n", """
          - name: shop.example
            origin_ports: { http: %d }
            records:
              - { type: A, name: "@", content: 127.0.0.1, proxied: true }
              - { type: A, name: www, content: 127.0.0.1, proxied: true }
        """.formatted(origin.port()));
    dashboard = new Dashboard(browser, edge).signIn(Dashboard.OWNER);
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void flippingARecordToDnsOnlyChangesTheEdgesDnsAnswerAndVisitorsThenGet1001() throws Exception {
    assertThat(addressesOf("www.shop.example")).containsExactly("203.0.113.10");
    assertThat(edge.get("www.shop.example", "/").status()).isEqualTo(200);

    dashboard.go("dns");
    WebElement www = recordRow("www.shop.example");
    assertThat(www.findElement(By.cssSelector("[data-test=proxied-switch]")).getText()).isEqualTo("Proxied");
    www.findElement(By.cssSelector("[data-test=proxied-switch]")).click();
    browser.waitUntil("www shown DNS only", d -> recordRow("www.shop.example").findElement(By.cssSelector("[data-test=proxied-switch]"))
        .getText().equals("DNS only"));

    Await.until(APPLIED, () -> addressesOf("www.shop.example").equals(List.of("127.0.0.1")), "www answered as written");
    RawClient.Response r = edge.get("www.shop.example", "/");
    assertThat(r.status()).isEqualTo(530);
    assertThat(r.body()).contains("Error 1001");
    // the apex stays proxied
    assertThat(addressesOf("shop.example")).containsExactly("203.0.113.10");
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
  }

  @Test
  void pausingTheZoneGivesVisitorsThe1018PageAndUnpausingProxiesAgain() throws Exception {
    dashboard.go("pause");
    assertThat(browser.waitFor(By.id("pause-state")).getText()).isEqualTo("The zone is active: the edge proxies it.");
    browser.waitFor(By.id("pause-switch")).click();
    browser.waitForText(By.id("pause-state"), "The zone is paused");

    Await.until(APPLIED, () -> status("shop.example") == 530, "the paused zone's 530");
    assertThat(edge.get("shop.example", "/").body()).contains("Error 1018");
    assertThat(addressesOf("shop.example")).containsExactly("127.0.0.1"); // answered DNS-only while paused

    browser.waitFor(By.id("pause-switch")).click();
    browser.waitForText(By.id("pause-state"), "The zone is active");
    Await.until(APPLIED, () -> status("shop.example") == 200, "proxied again");

    dashboard.go("audit");
    browser.waitForText(By.cssSelector("[data-test=audit-row]"), "owner");
    assertThat(browser.all(By.cssSelector("[data-test=audit-row]")))
        .filteredOn(row -> row.getText().contains("PATCH /api/zones/shop.example/settings")).hasSize(2)
        .allMatch(row -> row.getText().contains("owner") && row.getText().contains("127.0.0.1"));
  }

  private WebElement recordRow(String name) {
    return browser.waitUntil("the row of " + name, d -> d.findElements(By.cssSelector("[data-test=record-row]")).stream()
        .filter(row -> row.findElements(By.tagName("td")).size() > 1
            && row.findElements(By.tagName("td")).get(1).getText().equals(name)).findFirst().orElse(null));
  }

  private int status(String host) {
    try {
      return edge.get(host, "/").status();
    } catch (IOException e) {
      return -1;
    }
  }

  private List<String> addressesOf(String name) {
    try {
      SimpleResolver resolver = new SimpleResolver(edge.node().dnsAddress());
      resolver.setTimeout(Duration.ofSeconds(3));
      Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
      return answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    } catch (IOException e) {
      throw new AssertionError("the edge's DNS did not answer for " + name, e);
    }
  }
}
