# Floating-point math: an n-body style integration loop with attribute-free lists and math functions.
import math

NAME = "floats"
ITERATIONS = 10
EXPECTED = 35.817141


def bench():
    bodies = [[float(i), float(i * 2 % 7), float(i * 3 % 5), 0.1 * i, -0.05 * i, 0.02 * i, 1.0 + i % 3] for i in range(5)]
    dt = 0.01
    for _ in range(300):
        for i in range(5):
            bi = bodies[i]
            for j in range(i + 1, 5):
                bj = bodies[j]
                dx, dy, dz = bi[0] - bj[0], bi[1] - bj[1], bi[2] - bj[2]
                d2 = dx * dx + dy * dy + dz * dz + 0.01
                mag = dt / (d2 * math.sqrt(d2))
                bi[3] -= dx * bj[6] * mag
                bi[4] -= dy * bj[6] * mag
                bi[5] -= dz * bj[6] * mag
                bj[3] += dx * bi[6] * mag
                bj[4] += dy * bi[6] * mag
                bj[5] += dz * bi[6] * mag
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
    return round(sum(b[0] + b[1] + b[2] for b in bodies), 6)
