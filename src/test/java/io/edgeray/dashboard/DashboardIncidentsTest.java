package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.incident.IncidentRecord;
import io.edgeray.testing.Await;
import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The Incidents page: a host whose origin refuses is an open incident, with its verdict and rays linking to the ray view. */
class DashboardIncidentsTest {
  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void aRefusedOriginIsAnOpenIncidentWithItsVerdictAndRaysLinkingToTheRayView() throws Exception {
    edge.start(Dashboard.adminYaml(), EdgeExtension.zone("shop.example", "origin_ports: { http: " + Ports.closedPort() + " }"));
    List<String> rays = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      RawClient.Response r = edge.get("shop.example", "/p" + i);
      assertThat(r.status()).isEqualTo(521);
      rays.add(r.header("edge-ray"));
    }
    Await.until(Duration.ofSeconds(15), () -> !edge.node().incidents().all().isEmpty()
        && edge.node().incidents().all().get(0).diagnosis() != null, "an incident with its verdict");
    IncidentRecord incident = edge.node().incidents().all().get(0);

    Dashboard dashboard = new Dashboard(browser, edge).signIn(Dashboard.VIEWER).go("incidents");

    WebElement row = dashboard.waitFor(By.cssSelector("[data-test=incident-open]"));
    List<WebElement> cells = row.findElements(By.tagName("td"));
    assertThat(cells.get(0).getText()).isEqualTo("shop.example");
    assertThat(cells.get(2).getText()).isEqualTo("still open");
    assertThat(cells.get(3).getText()).isEqualTo("10 of 10 rays · 521 ×10");
    assertThat(cells.get(4).getText()).startsWith(incident.diagnosis().verdict());
    List<String> linked = row.findElements(By.cssSelector("[data-test=incident-ray]")).stream().map(a -> a.getText().strip()).toList();
    assertThat(linked).containsExactlyInAnyOrderElementsOf(rays);
    assertThat(browser.driver().findElements(By.cssSelector("[data-test=incident-closed]"))).isEmpty();

    row.findElement(By.cssSelector("[data-test=incident-ray]")).click();
    browser.waitUntil("the ray view", d -> "errors".equals(d.findElement(By.id("main")).getAttribute("data-page"))
        && d.getCurrentUrl().endsWith("#/errors/" + linked.get(0)));
  }
}
