package io.edgeray.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven through Debian's
 * {@code /usr/bin/chromedriver}, for the dashboard's tests. One browser per test class (the field
 * must be static); each test starts on a blank page with no cookies, and its console is checked
 * by {@link #consoleErrors()}.
 *
 * <pre>{@code
 * @RegisterExtension static final Browser browser = Browser.create();
 * browser.open("http://127.0.0.1:" + port + "/");
 * browser.waitFor(By.id("signin")).findElement(By.id("token")).sendKeys(token);
 * }</pre>
 *
 * Without chromium and chromedriver installed ({@code apt-get install chromium chromium-driver},
 * as {@code .ci/run} does) the tests are skipped, saying so; they never pass without a browser.
 * Selenium Manager never runs: the driver's path is given, so nothing is downloaded. The flags
 * keep Chromium off the network: it only ever loads the loopback pages a test opens.
 */
public final class Browser implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private Path profile;
  private ChromeDriverService service;
  private ChromeDriver driver;

  private Browser() {}

  public static Browser create() {
    return new Browser();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "browser tests skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install -y chromium chromium-driver)");
    profile = Files.createTempDirectory("edgeray-chromium");
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort()
        .withLogOutput(java.io.OutputStream.nullOutputStream()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--no-proxy-server", "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
        "--window-size=1280,1000", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (driver == null) return;
    driver.get("about:blank");
    driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of()); // every site's, not only the page's
    driver.manage().window().setSize(new Dimension(1280, 1000));
    consoleErrors(); // drops what an earlier test left in the console
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (driver != null) driver.quit();
    if (service != null) service.stop();
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary profile left behind
      }
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /** The element once it is on the page and visible. */
  public WebElement waitFor(By by) {
    try {
      return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (org.openqa.selenium.TimeoutException e) {
      // what the page showed instead, in the test's output: a wait that ran out says little by itself
      System.out.println("waiting for " + by + " on " + driver.getCurrentUrl() + " ran out; the page was:\n"
          + driver.getPageSource() + "\nconsole errors: " + consoleErrors());
      throw e;
    }
  }

  /**
   * Waits until the condition holds (a non-null, non-false answer) and returns its answer. An
   * element the page replaced while the condition looked at it counts as not yet.
   */
  public <T> T waitUntil(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).withMessage(what).ignoring(StaleElementReferenceException.class).until(condition);
  }

  /** Waits until the element's text contains {@code text}. */
  public WebElement waitForText(By by, String text) {
    waitUntil("text '" + text + "' in " + by, ExpectedConditions.textToBePresentInElementLocated(by, text));
    return driver.findElement(by);
  }

  public List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** Runs async JavaScript whose last argument is the callback to call with the answer. */
  public Object asyncScript(String js, Object... args) {
    driver.manage().timeouts().scriptTimeout(WAIT);
    return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
  }

  /**
   * A PNG of the whole page at this width (the window grows to the page's height, up to
   * {@code maxHeight}), written to {@code file}.
   */
  public void screenshot(Path file, int width, int maxHeight) throws IOException {
    driver.manage().window().setSize(new Dimension(width, 800));
    long height = (Long) script("return Math.ceil(document.documentElement.scrollHeight)");
    driver.manage().window().setSize(new Dimension(width, (int) Math.min(maxHeight, Math.max(400, height))));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  /** The console's errors since the last call (JavaScript exceptions, failed loads, CSP refusals). */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }
}
