package io.edgeray.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Browser;
import io.edgeray.testing.EdgeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/** The page itself in a real Chromium, before anyone signs in: its modules, uPlot, its policy, a phone's width. */
class DashboardPageTest {
  @RegisterExtension static final Browser browser = Browser.create();
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().perClass().extra(Dashboard.adminYaml())
      .zones(EdgeExtension.zone("shop.example", ""));

  @Test
  void theSignInFormComesUpWithEveryModuleAndUplotLoadedUnderTheContentSecurityPolicy() {
    browser.open(new Dashboard(browser, edge).url());
    browser.waitFor(By.id("signin"));
    assertThat(browser.driver().getTitle()).isEqualTo("edgeray");
    // app.js imports every page and overview.js imports uPlot: a module that failed to load or was blocked leaves no form
    assertThat(browser.script("return typeof document.querySelector('#signin input[type=password]')")).isEqualTo("object");
    assertThat(browser.script("return getComputedStyle(document.querySelector('header')).backgroundColor"))
        .isEqualTo("rgb(29, 35, 48)"); // dashboard.css applied
    assertThat(browser.consoleErrors()).allMatch(e -> e.contains("/api/session") && e.contains("401"));
  }

  @Test
  void onAPhoneThePageFitsItsWidth() {
    browser.driver().manage().window().setSize(new Dimension(390, 844));
    browser.open(new Dashboard(browser, edge).url());
    browser.waitFor(By.id("signin"));
    long viewport = (Long) browser.script("return document.documentElement.clientWidth");
    assertThat((Long) browser.script("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(viewport);
    assertThat(browser.waitFor(By.id("signin-button")).getRect().getWidth()).isLessThanOrEqualTo((int) viewport);
  }
}
