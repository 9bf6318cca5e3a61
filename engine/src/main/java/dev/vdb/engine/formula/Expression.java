package dev.vdb.engine.formula;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vdb.engine.filter.DateTimes;
import dev.vdb.engine.filter.Filter;
import dev.vdb.engine.filter.GeoMath;
import dev.vdb.engine.filter.GeoPoint;
import dev.vdb.engine.payload.PayloadMatcher;
import java.util.List;

/**
 * A node of a score formula (Qdrant's formula query), evaluated in double precision for one
 * candidate point ({@link Formula.Inputs}). A result that is not finite, a payload value of the
 * wrong type, and a missing value without a default are {@link IllegalArgumentException}s naming
 * the variable, as Qdrant refuses them. Immutable and thread-safe.
 */
public sealed interface Expression {

    double eval(Formula.Inputs in);

    /** A number. */
    record Constant(double value) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            return value;
        }
    }

    /** {@code $score[prefetch]}: the candidate's score in that prefetch's hits, else its default, else 0. */
    record Score(int prefetch) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            return in.score(prefetch);
        }
    }

    /** The number at a payload key, else its default. */
    record PayloadNumber(String key) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            JsonNode v = in.value(key);
            if (!v.isNumber()) {
                throw in.wrongType(key, "a number", v);
            }
            return v.doubleValue();
        }
    }

    /** 1 when the point matches the condition, else 0. */
    record Condition(Filter condition) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            return in.matches(condition) ? 1 : 0;
        }
    }

    /** Metres from {@code origin} to the geo point at {@code key} (haversine, as the geo conditions). */
    record GeoDistance(GeoPoint origin, String key) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            JsonNode v = in.value(key);
            if (!PayloadMatcher.isGeoPoint(v)) {
                throw in.wrongType(key, "a geo point", v);
            }
            return GeoMath.haversineMetres(origin.lat(), origin.lon(), v.get("lat").doubleValue(), v.get("lon").doubleValue());
        }
    }

    /** A date-time as seconds since the epoch (to the microsecond): a constant, or the one at a payload key. */
    record DateTime(Long micros, String key) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            if (micros != null) {
                return micros / 1e6;
            }
            JsonNode v = in.value(key);
            Long parsed = v.isTextual() ? DateTimes.parseMicros(v.textValue()) : null;
            if (parsed == null) {
                throw in.wrongType(key, "a date-time", v);
            }
            return parsed / 1e6;
        }
    }

    /** The product; 0 as soon as a factor is 0 (the rest are not evaluated, as in Qdrant). */
    record Mult(List<Expression> factors) implements Expression {
        public Mult {
            factors = List.copyOf(factors);
        }

        @Override
        public double eval(Formula.Inputs in) {
            double product = 1;
            for (Expression f : factors) {
                double v = f.eval(in);
                if (v == 0) {
                    return 0;
                }
                product *= v;
            }
            return product;
        }
    }

    /** The sum. */
    record Sum(List<Expression> terms) implements Expression {
        public Sum {
            terms = List.copyOf(terms);
        }

        @Override
        public double eval(Formula.Inputs in) {
            double sum = 0;
            for (Expression t : terms) {
                sum += t.eval(in);
            }
            return sum;
        }
    }

    /** {@code left / right}: 0 when left is 0; {@code byZeroDefault} (when set) when right is 0. */
    record Div(Expression left, Expression right, Double byZeroDefault) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            double l = left.eval(in);
            if (l == 0) {
                return 0;
            }
            double r = right.eval(in);
            if (r == 0 && byZeroDefault != null) {
                return byZeroDefault;
            }
            return finite(l / r, l + "/" + r);
        }
    }

    /** One argument functions: neg, abs, sqrt, exp, log10, ln. */
    record Unary(String function, Expression arg) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            double x = arg.eval(in);
            return switch (function) {
                case "neg" -> -x;
                case "abs" -> Math.abs(x);
                case "sqrt" -> finite(Math.sqrt(x), "sqrt(" + x + ")");
                case "exp" -> finite(Math.exp(x), "exp(" + x + ")");
                case "log10" -> finite(Math.log10(x), "log10(" + x + ")");
                case "ln" -> finite(Math.log(x), "ln(" + x + ")");
                default -> throw new IllegalStateException("no function " + function);
            };
        }
    }

    /** {@code base ^ exponent}. */
    record Pow(Expression base, Expression exponent) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            double b = base.eval(in);
            double e = exponent.eval(in);
            return finite(Math.pow(b, e), b + "^" + e);
        }
    }

    /**
     * A decay from 1 at {@code target} (0 when absent) as {@code x} moves away from it, shaped by
     * {@code lambda} (from the scale and midpoint: the value where {@code |x − target| = scale}):
     * linear {@code max(0, 1 − λ|d|)}, exponential {@code e^(λ|d|)}, Gaussian {@code e^(λd²)}.
     */
    record Decay(String kind, Expression x, Expression target, double lambda) implements Expression {
        @Override
        public double eval(Formula.Inputs in) {
            double d = x.eval(in) - (target == null ? 0 : target.eval(in));
            return switch (kind) {
                case "lin_decay" -> Math.max(0, 1 - lambda * Math.abs(d));
                case "exp_decay" -> Math.exp(lambda * Math.abs(d));
                case "gauss_decay" -> Math.exp(lambda * d * d);
                default -> throw new IllegalStateException("no decay " + kind);
            };
        }
    }

    private static double finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("formula: " + what + " is not a finite number");
        }
        return v;
    }
}
