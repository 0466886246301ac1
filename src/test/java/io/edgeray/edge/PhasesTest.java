package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.phase.Decision;
import io.edgeray.phase.Phase;
import io.edgeray.phase.Ray;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Each hook runs the phases that take part in it, in order, and a later decision resumes after its own phase. */
class PhasesTest {
  private final List<String> asked = new ArrayList<>();

  private Decision ask(String hook) {
    asked.add(hook);
    return Decision.PROCEED;
  }

  /** Takes part in the request filter only: decides later there. */
  private final class Deferring implements Phase {
    @Override
    public Decision requestFilter(Ray ray) {
      asked.add("deferring.requestFilter");
      return new Decision.Later(CompletableFuture.completedFuture(Decision.PROCEED));
    }
  }

  /** Takes part in the cache lookup and the response head only. */
  private final class Caching implements Phase {
    @Override public Decision cacheLookup(Ray ray) { return ask("caching.cacheLookup"); }
    @Override public Decision responseHead(Ray ray, HttpResponse response) { return ask("caching.responseHead"); }
  }

  /** Takes part in the request filter and the response head. */
  private final class Filtering implements Phase {
    @Override public Decision requestFilter(Ray ray) { return ask("filtering.requestFilter"); }
    @Override public Decision responseHead(Ray ray, HttpResponse response) { return ask("filtering.responseHead"); }
  }

  private final Phases phases = new Phases(List.of(new Deferring(), new Caching(), new Filtering()));

  @Test
  void aLaterDecisionResumesWithTheNextPhaseOfTheSameHook() {
    Phases.Verdict first = phases.early(Phases.EarlyHook.REQUEST_FILTER, null, 0);
    assertThat(first.decision()).isInstanceOf(Decision.Later.class);
    assertThat(first.phase()).isZero();

    Phases.Verdict rest = phases.early(Phases.EarlyHook.REQUEST_FILTER, null, first.phase() + 1);
    assertThat(rest.decision()).isSameAs(Decision.PROCEED);
    assertThat(asked).containsExactly("deferring.requestFilter", "filtering.requestFilter");
  }

  @Test
  void eachHookRunsOnlyThePhasesThatTakePartInItInOrder() {
    phases.early(Phases.EarlyHook.CACHE_LOOKUP, null, 0);
    phases.responseHead(null, new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    assertThat(asked).containsExactly("caching.cacheLookup", "caching.responseHead", "filtering.responseHead");
  }

  @Test
  void aHookNoPhaseTakesPartInProceeds() {
    Phases.Verdict zone = phases.early(Phases.EarlyHook.ZONE_FILTER, null, 0);
    assertThat(zone.decision()).isSameAs(Decision.PROCEED);
    assertThat(asked).isEmpty();
  }
}
