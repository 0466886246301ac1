package io.edgeray.security;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import io.edgeray.config.Cidr;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the common part of checked CEL into plain Java, so the rules owners write most often cost
 * tens of nanoseconds instead of a microsecond or more in CEL's interpreter. The subset: the
 * fields; string, bool and int literals and lists of string literals; {@code && || !} with CEL's
 * error rules; {@code == !=} between values of one type; {@code startsWith endsWith contains};
 * {@code matches} with a literal RE2 pattern (compiled once, CEL's partial match); {@code in} a
 * list, a map (the headers) or {@code cidr(...)}; {@code cidr(...).contains}; indexing the headers
 * and their lists; and comprehensions, so the macros {@code exists}, {@code all},
 * {@code exists_one} work too.
 *
 * <p>Errors follow CEL: a missing header or an index out of range is an error value that
 * {@code false && e}, {@code true || e} and the comprehension macros absorb the way CEL does, and
 * that makes the rule not match if it reaches the top. Anything outside the subset makes
 * {@link #compile} return empty, and the whole expression runs on CEL's own interpreter. CEL
 * remains the language: its parser and checker have accepted and typed the expression before this
 * sees it, and a test checks that both evaluators agree.
 */
final class DirectRules {
  /** A compiled sub-expression: its value, or {@link #ERROR}. */
  interface Node {
    Object eval(RequestActivation request, Object[] locals);
  }

  /** CEL's error value: evaluation failed (no such key, index out of range). */
  static final Object ERROR = new Object() {
    @Override
    public String toString() {
      return "error";
    }
  };

  private static final class NotDirect extends Exception {
    NotDirect() {
      super(null, null, false, false);
    }
  }

  /** A compiled expression; its comprehensions make their local variables when they run. */
  record Compiled(Node root) {
    boolean matches(RequestActivation request) {
      return root.eval(request, null) == Boolean.TRUE;
    }
  }

  private final CelAbstractSyntaxTree ast;
  private final Map<String, Integer> scope = new HashMap<>();
  private int slots;

  private DirectRules(CelAbstractSyntaxTree ast) {
    this.ast = ast;
  }

  /** The expression as plain Java, or empty when it uses anything outside the subset. */
  static Optional<Compiled> compile(CelAbstractSyntaxTree ast) {
    try {
      DirectRules d = new DirectRules(ast);
      Node root = d.node(ast.getExpr());
      return Optional.of(new Compiled(root));
    } catch (NotDirect | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Node node(CelExpr e) throws NotDirect {
    CelReference ref = ast.getReferenceMap().get(e.id());
    switch (e.getKind()) {
      case CONSTANT -> {
        Object v = constant(e);
        return (r, l) -> v;
      }
      case IDENT -> {
        Integer slot = scope.get(e.ident().name());
        if (slot != null) {
          int s = slot;
          return (r, l) -> l[s];
        }
        if (ref == null || !ref.overloadIds().isEmpty()) throw new NotDirect();
        return field(ref.name());
      }
      case SELECT -> {
        if (e.select().testOnly() || ref == null || !ref.overloadIds().isEmpty()) throw new NotDirect();
        return field(ref.name());
      }
      case LIST -> {
        Set<String> items = new HashSet<>();
        for (CelExpr item : e.list().elements()) {
          if (!(constant(item) instanceof String s)) throw new NotDirect();
          items.add(s);
        }
        Set<String> set = Set.copyOf(items);
        return (r, l) -> set;
      }
      case CALL -> {
        if (ref == null || ref.overloadIds().size() != 1) throw new NotDirect();
        return call(ref.overloadIds().get(0), e.call());
      }
      case COMPREHENSION -> {
        return comprehension(e.comprehension());
      }
      default -> throw new NotDirect();
    }
  }

  private static Object constant(CelExpr e) throws NotDirect {
    if (e.getKind() != CelExpr.ExprKind.Kind.CONSTANT) throw new NotDirect();
    CelConstant c = e.constant();
    return switch (c.getKind()) {
      case STRING_VALUE -> c.stringValue();
      case BOOLEAN_VALUE -> c.booleanValue();
      case INT64_VALUE -> c.int64Value();
      default -> throw new NotDirect();
    };
  }

  private static Node field(String name) throws NotDirect {
    return switch (name) {
      case RuleExpressions.IP_SRC -> (r, l) -> r.clientIp();
      case RuleExpressions.HOST -> (r, l) -> r.host();
      case RuleExpressions.METHOD -> (r, l) -> r.method();
      case RuleExpressions.PATH -> (r, l) -> r.path();
      case RuleExpressions.QUERY -> (r, l) -> r.query();
      case RuleExpressions.FULL_URI -> (r, l) -> r.fullUri();
      case RuleExpressions.COOKIE -> (r, l) -> r.cookie();
      case RuleExpressions.USER_AGENT -> (r, l) -> r.userAgent();
      case RuleExpressions.REFERER -> (r, l) -> r.referer();
      case RuleExpressions.VERSION -> (r, l) -> r.httpVersion();
      case RuleExpressions.SSL -> (r, l) -> r.ssl();
      case RuleExpressions.HEADERS -> (r, l) -> r.headers();
      default -> throw new NotDirect();
    };
  }

  private Node call(String overload, CelExpr.CelCall call) throws NotDirect {
    List<CelExpr> args = call.args();
    switch (overload) {
      case "logical_and" -> {
        Node a = node(args.get(0));
        Node b = node(args.get(1));
        return (r, l) -> and(a.eval(r, l), b, r, l);
      }
      case "logical_or" -> {
        Node a = node(args.get(0));
        Node b = node(args.get(1));
        return (r, l) -> or(a.eval(r, l), b, r, l);
      }
      case "logical_not" -> {
        Node a = node(args.get(0));
        return (r, l) -> {
          Object v = a.eval(r, l);
          return v == ERROR ? ERROR : !(Boolean) v;
        };
      }
      case "not_strictly_false" -> { // the loop condition of exists/all: only a real false stops the loop
        Node a = node(args.get(0));
        return (r, l) -> a.eval(r, l) != Boolean.FALSE;
      }
      case "equals", "not_equals" -> {
        String left = type(args.get(0));
        if (!left.equals(type(args.get(1))) || !Set.of("string", "bool", "int").contains(left)) throw new NotDirect();
        Node a = node(args.get(0));
        Node b = node(args.get(1));
        boolean equals = overload.equals("equals");
        return (r, l) -> {
          Object x = a.eval(r, l);
          if (x == ERROR) return ERROR;
          Object y = b.eval(r, l);
          if (y == ERROR) return ERROR;
          return x.equals(y) == equals;
        };
      }
      case "starts_with_string", "ends_with_string", "contains_string" -> {
        Node target = node(call.target().orElseThrow(NotDirect::new));
        Node arg = node(args.get(0));
        int op = overload.equals("starts_with_string") ? 0 : overload.equals("ends_with_string") ? 1 : 2;
        return (r, l) -> {
          Object s = target.eval(r, l);
          if (s == ERROR) return ERROR;
          Object t = arg.eval(r, l);
          if (t == ERROR) return ERROR;
          return switch (op) {
            case 0 -> ((String) s).startsWith((String) t);
            case 1 -> ((String) s).endsWith((String) t);
            default -> ((String) s).contains((String) t);
          };
        };
      }
      case "matches_string" -> {
        Node target = node(call.target().orElseThrow(NotDirect::new));
        Object regex = constant(args.get(0));
        if (!(regex instanceof String pattern)) throw new NotDirect();
        LiteralPattern compiled = new LiteralPattern(pattern);
        return (r, l) -> {
          Object s = target.eval(r, l);
          return s == ERROR ? ERROR : compiled.find((String) s);
        };
      }
      case "size_string", "string_size" -> { // CEL counts code points, not UTF-16 units
        Node s = node(overload.equals("size_string") ? args.get(0) : call.target().orElseThrow(NotDirect::new));
        return (r, l) -> {
          Object v = s.eval(r, l);
          if (v == ERROR) return ERROR;
          String text = (String) v;
          return (long) text.codePointCount(0, text.length());
        };
      }
      case "size_list", "list_size" -> {
        Node s = node(overload.equals("size_list") ? args.get(0) : call.target().orElseThrow(NotDirect::new));
        return (r, l) -> {
          Object v = s.eval(r, l);
          return v == ERROR ? ERROR : (Object) (long) ((java.util.Collection<?>) v).size();
        };
      }
      case "less_int64", "less_equals_int64", "greater_int64", "greater_equals_int64" -> {
        Node a = node(args.get(0));
        Node b = node(args.get(1));
        int op = switch (overload) {
          case "less_int64" -> 0;
          case "less_equals_int64" -> 1;
          case "greater_int64" -> 2;
          default -> 3;
        };
        return (r, l) -> {
          Object x = a.eval(r, l);
          if (x == ERROR) return ERROR;
          Object y = b.eval(r, l);
          if (y == ERROR) return ERROR;
          int c = Long.compare((Long) x, (Long) y);
          return switch (op) {
            case 0 -> c < 0;
            case 1 -> c <= 0;
            case 2 -> c > 0;
            default -> c >= 0;
          };
        };
      }
      case "in_string_cidr" -> {
        CidrBlock block = block(args.get(1));
        if (isClientIp(args.get(0))) return (r, l) -> block.contains(r.clientBytes()); // no text round trip
        Node ip = node(args.get(0));
        return (r, l) -> {
          Object s = ip.eval(r, l);
          return s == ERROR ? ERROR : block.contains((String) s);
        };
      }
      case "cidr_contains_string" -> {
        CidrBlock block = block(call.target().orElseThrow(NotDirect::new));
        if (isClientIp(args.get(0))) return (r, l) -> block.contains(r.clientBytes());
        Node ip = node(args.get(0));
        return (r, l) -> {
          Object s = ip.eval(r, l);
          return s == ERROR ? ERROR : block.contains((String) s);
        };
      }
      case "in_map", "in_list" -> {
        if (!type(args.get(0)).equals("string")) throw new NotDirect();
        if (overload.equals("in_map") && isField(args.get(1), RuleExpressions.HEADERS)
            && args.get(0).getKind() == CelExpr.ExprKind.Kind.CONSTANT && constant(args.get(0)) instanceof String name) {
          return (r, l) -> r.hasHeader(name); // one lookup in the head, no map view
        }
        Node key = node(args.get(0));
        Node container = node(args.get(1));
        boolean map = overload.equals("in_map");
        return (r, l) -> {
          Object k = key.eval(r, l);
          if (k == ERROR) return ERROR;
          Object c = container.eval(r, l);
          if (c == ERROR) return ERROR;
          return map ? ((Map<?, ?>) c).containsKey(k) : ((java.util.Collection<?>) c).contains(k);
        };
      }
      case "index_map" -> {
        Node map = node(args.get(0));
        Node key = node(args.get(1));
        return (r, l) -> {
          Object m = map.eval(r, l);
          if (m == ERROR) return ERROR;
          Object k = key.eval(r, l);
          if (k == ERROR) return ERROR;
          Object v = ((Map<?, ?>) m).get(k);
          return v == null ? ERROR : v;
        };
      }
      case "index_list" -> {
        Node list = node(args.get(0));
        Node index = node(args.get(1));
        return (r, l) -> {
          Object xs = list.eval(r, l);
          if (xs == ERROR) return ERROR;
          Object i = index.eval(r, l);
          if (i == ERROR) return ERROR;
          List<?> items = (List<?>) xs;
          long n = (Long) i;
          return n < 0 || n >= items.size() ? ERROR : items.get((int) n);
        };
      }
      default -> throw new NotDirect();
    }
  }

  /** CEL's {@code &&}: false wins over an error, an error over true. */
  private static Object and(Object a, Node b, RequestActivation r, Object[] l) {
    if (a == Boolean.FALSE) return Boolean.FALSE;
    Object v = b.eval(r, l);
    if (v == Boolean.FALSE) return Boolean.FALSE;
    return a == ERROR || v == ERROR ? ERROR : Boolean.TRUE;
  }

  /** CEL's {@code ||}: true wins over an error, an error over false. */
  private static Object or(Object a, Node b, RequestActivation r, Object[] l) {
    if (a == Boolean.TRUE) return Boolean.TRUE;
    Object v = b.eval(r, l);
    if (v == Boolean.TRUE) return Boolean.TRUE;
    return a == ERROR || v == ERROR ? ERROR : Boolean.FALSE;
  }

  /** A fold over a list, as CEL's macros expand to: accumulate, test the loop condition, step, result. */
  private Node comprehension(CelExpr.CelComprehension c) throws NotDirect {
    if (!c.iterVar2().isEmpty()) throw new NotDirect();
    Node range = node(c.iterRange());
    Node init = node(c.accuInit());
    Map<String, Integer> saved = new HashMap<>(scope);
    int item = slots++;
    int accu = slots++;
    scope.put(c.iterVar(), item);
    scope.put(c.accuVar(), accu);
    Node condition = node(c.loopCondition());
    Node step = node(c.loopStep());
    Node result = node(c.result());
    scope.clear();
    scope.putAll(saved);
    int size = slots; // this comprehension's slots and those of the ones inside it
    return (r, outer) -> {
      Object xs = range.eval(r, outer);
      if (xs == ERROR) return ERROR;
      // the outermost comprehension makes the locals: a rule whose && stops before it makes none
      Object[] l = outer != null ? outer : new Object[size];
      Iterable<?> items; // a list yields its elements, a map its keys, as in CEL
      if (xs instanceof List<?> list) items = list;
      else if (xs instanceof Map<?, ?> map) items = map.keySet();
      else return ERROR;
      l[accu] = init.eval(r, l);
      for (Object x : items) {
        l[item] = x;
        Object go = condition.eval(r, l);
        if (go == ERROR) return ERROR;
        if (go != Boolean.TRUE) break;
        l[accu] = step.eval(r, l);
      }
      return result.eval(r, l);
    };
  }

  /** The block of {@code cidr("...")}, parsed now. */
  private static CidrBlock block(CelExpr e) throws NotDirect {
    if (e.getKind() != CelExpr.ExprKind.Kind.CALL || !e.call().function().equals("cidr")) throw new NotDirect();
    if (!(constant(e.call().args().get(0)) instanceof String text)) throw new NotDirect();
    try {
      return new CidrBlock(Cidr.parse(text));
    } catch (IllegalArgumentException bad) {
      throw new NotDirect();
    }
  }

  /**
   * Whether {@code e} is {@code ip.src} itself. The checker turns the select {@code ip.src} into an
   * ident of that name, so both kinds are accepted; missing the ident made every {@code in cidr}
   * parse the address's text again.
   */
  private boolean isClientIp(CelExpr e) {
    return isField(e, RuleExpressions.IP_SRC);
  }

  /** Whether {@code e} is the field {@code name} itself (a select, or the ident the checker makes of it). */
  private boolean isField(CelExpr e, String name) {
    CelReference ref = ast.getReferenceMap().get(e.id());
    boolean variable = e.getKind() == CelExpr.ExprKind.Kind.SELECT
        || e.getKind() == CelExpr.ExprKind.Kind.IDENT && !scope.containsKey(e.ident().name());
    return variable && ref != null && ref.overloadIds().isEmpty() && ref.name().equals(name);
  }

  private String type(CelExpr e) {
    return ast.getType(e.id()).map(t -> t.name()).orElse("?");
  }
}
