package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.EtcdProcess;
import io.edgeray.testing.FaultyOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * A fleet of two on loopback: the Fleet page lists both, the Origins page shows each node's view,
 * and the Doctor page "from every location" a row per node with the sentence. SIN's egress address
 * is not one of this host's, so its connections to the origin fail before a packet leaves (523).
 */
class DashboardFleetTest {
  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension ams = EdgeExtension.create().node("AMS");
  @RegisterExtension final EdgeExtension sin = EdgeExtension.create().node("SIN");

  @Test
  void theDoctorFromEveryLocationShowsARowPerNodeAndTheSentenceAndTheFleetPageListsTheNodes() throws Exception {
    try (EtcdProcess etcd = EtcdProcess.started(); FaultyOrigin origin = FaultyOrigin.start()) {
      etcd.put("/dash/config", "pools:\n  - name: web\n"
          + "    monitor: { type: tcp, interval: 200ms, timeout: 1s, retries: 0 }\n"
          + "    origins: [ { name: a, address: 127.0.0.1, port: " + origin.port() + " } ]\n"
          + "zones:\n  - name: shop.test\n    origin_ports: { http: " + origin.port() + " }\n"
          + "    records:\n      - { type: A, name: www, content: 127.0.0.1, proxied: true }\n");
      String fleet = "fleet: { etcd: [" + etcd.url() + "], prefix: /dash, lease: 3s, location: ";
      ams.start(Dashboard.adminYaml() + fleet + "Amsterdam }\n", "");
      sin.start("admin: 127.0.0.1:0\nedge: { egress: [192.0.2.1] }\n" + fleet + "Singapore }\n", "");

      Dashboard d = new Dashboard(browser, ams).signIn(Dashboard.OWNER).go("fleet");
      browser.waitUntil("both nodes listed", x -> x.findElements(By.cssSelector("[data-test=fleet-row]")).size() == 2);
      assertThat(browser.all(By.cssSelector("[data-test=fleet-row]")).get(1).getText()).contains("SIN", "Singapore");

      d.go("origins");
      browser.waitUntil("SIN's view on the Origins page", x -> x.findElements(By.cssSelector("[data-test=origin-view]")).size() == 2
          && x.findElement(By.id("pools")).getText().contains("unreachable from SIN only"));
      assertThat(d.notice("warn")).isEqualTo("a: unreachable from SIN only: a path or firewall problem near SIN, not the origin");

      d.go("doctor");
      browser.waitFor(By.id("doctor-host")).clear();
      browser.driver().findElement(By.id("doctor-host")).sendKeys("www.shop.test");
      browser.driver().findElement(By.id("doctor-fleet")).click();
      browser.driver().findElement(By.id("doctor-run")).click();
      assertThat(browser.waitFor(By.id("doctor-summary")).getText())
          .isEqualTo("unreachable from SIN only: a path or firewall problem near SIN, not the origin");
      var rows = browser.all(By.cssSelector("[data-test=location-row]"));
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).getText()).contains("AMS", "Amsterdam", "answers");
      assertThat(rows.get(1).getText()).contains("SIN", "Singapore", "UNREACHABLE (523)");
    }
  }
}
