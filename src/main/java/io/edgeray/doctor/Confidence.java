package io.edgeray.doctor;

/** How sure the doctor is of a cause: HIGH when one observation can only mean it, MEDIUM when it is the likeliest of several. */
public enum Confidence {
  HIGH, MEDIUM, LOW;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
