package io.edgeray.security;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.Operator;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.edgeray.config.Cidr;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule language: CEL with the request's fields under Cloudflare-like names, and one function
 * for address blocks. Every expression must be a bool.
 *
 * <pre>
 * ip.src                  string   the visitor's address, "192.0.2.7" or "2001:db8::1"
 * http.host               string   http.request.method     string
 * http.request.uri.path   string   http.request.uri.query  string (without "?")
 * http.request.full_uri   string   http.request.version    string ("HTTP/1.1", "HTTP/2")
 * http.request.headers    map(string, list(string)), names lower-cased
 * http.cookie             string   (the Cookie header)     http.user_agent, http.referer  string
 * ssl                     bool
 * cidr("192.0.2.0/24")    a block; ip.src in cidr("...") and cidr("...").contains(ip.src) test membership
 * </pre>
 *
 * The argument of {@code cidr} must be a string literal, checked when the rule compiles, so a
 * typo in a block is a config error rather than a rule that never matches. The compiler and the
 * runtime are immutable and shared by every rule of every zone.
 */
public final class RuleExpressions {
  static final String IP_SRC = "ip.src";
  static final String HOST = "http.host";
  static final String METHOD = "http.request.method";
  static final String PATH = "http.request.uri.path";
  static final String QUERY = "http.request.uri.query";
  static final String FULL_URI = "http.request.full_uri";
  static final String HEADERS = "http.request.headers";
  static final String COOKIE = "http.cookie";
  static final String USER_AGENT = "http.user_agent";
  static final String REFERER = "http.referer";
  static final String VERSION = "http.request.version";
  static final String SSL = "ssl";

  private static final String CIDR_FUNCTION = "cidr";
  private static final OpaqueType CIDR_TYPE = OpaqueType.create("cidr");
  /** Blocks parsed from the literals of compiled rules; only literals reach it, so it stays small. */
  private static final Map<String, CidrBlock> BLOCKS = new ConcurrentHashMap<>();

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS) // has(), all(), exists(), map(), filter()
      .addVar(IP_SRC, SimpleType.STRING)
      .addVar(HOST, SimpleType.STRING)
      .addVar(METHOD, SimpleType.STRING)
      .addVar(PATH, SimpleType.STRING)
      .addVar(QUERY, SimpleType.STRING)
      .addVar(FULL_URI, SimpleType.STRING)
      .addVar(HEADERS, MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)))
      .addVar(COOKIE, SimpleType.STRING)
      .addVar(USER_AGENT, SimpleType.STRING)
      .addVar(REFERER, SimpleType.STRING)
      .addVar(VERSION, SimpleType.STRING)
      .addVar(SSL, SimpleType.BOOL)
      .addFunctionDeclarations(
          CelFunctionDecl.newFunctionDeclaration(CIDR_FUNCTION,
              CelOverloadDecl.newGlobalOverload("cidr_string", CIDR_TYPE, SimpleType.STRING)),
          CelFunctionDecl.newFunctionDeclaration(Operator.IN.getFunction(),
              CelOverloadDecl.newGlobalOverload("in_string_cidr", SimpleType.BOOL, SimpleType.STRING, CIDR_TYPE)),
          CelFunctionDecl.newFunctionDeclaration("contains",
              CelOverloadDecl.newMemberOverload("cidr_contains_string", SimpleType.BOOL, CIDR_TYPE, SimpleType.STRING)))
      .setResultType(SimpleType.BOOL)
      .build();

  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .addFunctionBindings(
          CelFunctionBinding.from("cidr_string", String.class, RuleExpressions::block),
          CelFunctionBinding.from("in_string_cidr", String.class, CidrBlock.class, (ip, block) -> block.contains(ip)),
          CelFunctionBinding.from("cidr_contains_string", CidrBlock.class, String.class, CidrBlock::contains))
      .build();

  private RuleExpressions() {}

  /** Compiles and type-checks an expression; the error names CEL's complaint and its column. */
  public static RuleExpression compile(String source) throws InvalidExpressionException {
    CelValidationResult result = COMPILER.compile(source);
    if (result.hasError()) throw invalid(result.getErrors().get(0));
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (CelValidationException e) {
      throw invalid(e.getErrors().get(0));
    }
    checkBlocks(ast);
    try {
      return new RuleExpression(source, RUNTIME.createProgram(ast), DirectRules.compile(ast).orElse(null));
    } catch (CelEvaluationException e) {
      throw new InvalidExpressionException(1, 1, e.getMessage());
    }
  }

  /** Every {@code cidr(...)} takes a string literal that is a valid block. */
  private static void checkBlocks(CelAbstractSyntaxTree ast) throws InvalidExpressionException {
    List<CelNavigableExpr> calls = CelNavigableAst.fromAst(ast).getRoot().allNodes()
        .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.CALL && n.expr().call().function().equals(CIDR_FUNCTION))
        .toList();
    for (CelNavigableExpr call : calls) {
      CelExpr arg = call.expr().call().args().get(0);
      CelSourceLocation where = location(ast, arg.id());
      if (arg.getKind() != CelExpr.ExprKind.Kind.CONSTANT || arg.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
        throw new InvalidExpressionException(where.getLine(), where.getColumn() + 1,
            "cidr() takes a quoted block such as cidr(\"192.0.2.0/24\")");
      }
      String text = arg.constant().stringValue();
      try {
        BLOCKS.computeIfAbsent(text, t -> new CidrBlock(Cidr.parse(t)));
      } catch (IllegalArgumentException e) {
        throw new InvalidExpressionException(where.getLine(), where.getColumn() + 1, "cidr(): " + e.getMessage());
      }
    }
  }

  private static CelSourceLocation location(CelAbstractSyntaxTree ast, long exprId) {
    Integer offset = ast.getSource().getPositionsMap().get(exprId);
    if (offset == null) return CelSourceLocation.of(1, 0);
    return ast.getSource().getOffsetLocation(offset).orElse(CelSourceLocation.of(1, 0));
  }

  private static CidrBlock block(String text) {
    CidrBlock b = BLOCKS.get(text);
    return b != null ? b : new CidrBlock(Cidr.parse(text)); // only literals compile, so this is a safety net
  }

  private static InvalidExpressionException invalid(CelIssue issue) {
    CelSourceLocation at = issue.getSourceLocation();
    String message = issue.getMessage().replace(" (in container '')", "").replaceFirst(" \\(candidates: .*\\)$", "");
    int line = at.getLine() <= 0 ? 1 : at.getLine();
    return new InvalidExpressionException(line, Math.max(at.getColumn(), 0) + 1, message);
  }
}
