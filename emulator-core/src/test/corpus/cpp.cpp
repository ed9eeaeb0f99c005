/*
 * cpp: C++ on the bare machine — static constructors (init_array order),
 * exceptions thrown and caught across frames with destructors run during
 * unwinding (ARM EHABI tables), rethrow, nested try, exception hierarchies,
 * virtual dispatch, and the standard library containers and algorithms.
 * Ends with std::exit(42) so that a non-zero exit status is recorded too.
 */
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>
#include "corpus.h"

namespace {

int trace_log[64];
int trace_len;

void trace(int v)
{
    if (trace_len < 64) {
        trace_log[trace_len++] = v;
    }
}

struct StaticInit {
    int id;
    explicit StaticInit(int i) : id(i) { trace(100 + i); }
};

StaticInit first_static(1);
StaticInit second_static(2);
int computed_at_startup = [] { trace(103); return 7 * 6; }();

struct Guard {
    int id;
    explicit Guard(int i) : id(i) { trace(200 + i); }
    ~Guard() { trace(300 + id); }
};

struct MeterError : std::runtime_error {
    int code;
    MeterError(const char *what, int c) : std::runtime_error(what), code(c) {}
};

struct CalibrationError : MeterError {
    CalibrationError() : MeterError("calibration", 17) {}
};

void __attribute__((noinline)) level3(int k)
{
    Guard g(3);
    if (k == 1) {
        throw MeterError("level3", 3);
    }
    if (k == 2) {
        throw CalibrationError();
    }
    if (k == 3) {
        throw 12345;
    }
    if (k == 4) {
        throw std::out_of_range("range");
    }
}

void __attribute__((noinline)) level2(int k)
{
    Guard g(2);
    level3(k);
    trace(222);
}

void __attribute__((noinline)) level1(int k)
{
    Guard g(1);
    try {
        level2(k);
    } catch (const CalibrationError &e) {
        trace(400 + e.code);
        throw;                                   // rethrow the same object
    }
}

void test_exceptions()
{
    std::printf("== exceptions\n");
    for (int k = 0; k <= 4; k++) {
        trace_len = 0;
        const char *caught = "nothing";
        int code = 0;
        try {
            level1(k);
        } catch (const CalibrationError &e) {
            caught = "CalibrationError";
            code = e.code;
        } catch (const MeterError &e) {
            caught = e.what();
            code = e.code;
        } catch (const std::exception &e) {
            caught = e.what();
        } catch (int v) {
            caught = "int";
            code = v;
        }
        std::printf("k=%d caught=%s code=%d trace:", k, caught, code);
        for (int i = 0; i < trace_len; i++) {
            std::printf(" %d", trace_log[i]);
        }
        std::printf("\n");
    }
    /* Nested try blocks and an exception thrown from within a catch handler. */
    int stage = 0;
    try {
        try {
            throw std::logic_error("inner");
        } catch (const std::logic_error &e) {
            stage = 1;
            throw std::runtime_error(std::string("outer after ") + e.what());
        }
    } catch (const std::runtime_error &e) {
        std::printf("nested: stage=%d what=%s\n", stage, e.what());
    }
    /* std::exception_ptr round trip. */
    std::exception_ptr saved;
    try {
        throw MeterError("saved", 99);
    } catch (...) {
        saved = std::current_exception();
    }
    try {
        std::rethrow_exception(saved);
    } catch (const MeterError &e) {
        std::printf("exception_ptr: %s %d\n", e.what(), e.code);
    }
    /* Library-thrown exceptions. */
    std::vector<int> v(3);
    try {
        (void)v.at(7);
    } catch (const std::out_of_range &) {
        std::printf("vector::at threw out_of_range\n");
    }
    try {
        (void)std::stoi("not a number");
    } catch (const std::invalid_argument &) {
        std::printf("stoi threw invalid_argument\n");
    }
}

struct Shape {
    virtual ~Shape() { trace(500); }
    virtual const char *name() const = 0;
    virtual long area_x100() const = 0;
    virtual int sides() const { return 0; }
};

struct Rect : Shape {
    long w, h;
    Rect(long a, long b) : w(a), h(b) {}
    ~Rect() override { trace(501); }
    const char *name() const override { return "rect"; }
    long area_x100() const override { return w * h * 100; }
    int sides() const override { return 4; }
};

struct Square final : Rect {
    explicit Square(long s) : Rect(s, s) {}
    ~Square() override { trace(502); }
    const char *name() const override { return "square"; }
};

struct Circle : Shape {
    long r;
    explicit Circle(long a) : r(a) {}
    const char *name() const override { return "circle"; }
    long area_x100() const override { return r * r * 314; }
};

void test_virtual()
{
    std::printf("== virtual dispatch and unique_ptr\n");
    trace_len = 0;
    {
        std::vector<std::unique_ptr<Shape>> shapes;
        shapes.push_back(std::make_unique<Rect>(3, 4));
        shapes.push_back(std::make_unique<Circle>(2));
        shapes.push_back(std::make_unique<Square>(5));
        shapes.push_back(std::make_unique<Circle>(10));
        std::sort(shapes.begin(), shapes.end(),
                  [](const std::unique_ptr<Shape> &a, const std::unique_ptr<Shape> &b) {
                      return a->area_x100() < b->area_x100();
                  });
        for (const auto &s : shapes) {
            std::printf("%s area*100=%ld sides=%d\n", s->name(), s->area_x100(), s->sides());
        }
        std::unique_ptr<Shape> moved = std::move(shapes[0]);
        std::printf("moved %s, slot empty=%d\n", moved->name(), shapes[0] == nullptr);
    }
    std::printf("destructor trace:");
    for (int i = 0; i < trace_len; i++) {
        std::printf(" %d", trace_log[i]);
    }
    std::printf("\n");
}

void test_containers()
{
    std::printf("== containers and algorithms\n");
    std::vector<int> v;
    unsigned seed = 7;
    for (int i = 0; i < 300; i++) {
        seed = seed * 1103515245u + 12345u;
        v.push_back(static_cast<int>((seed >> 16) % 1000));
    }
    std::sort(v.begin(), v.end());
    auto last = std::unique(v.begin(), v.end());
    v.erase(last, v.end());
    long sum = std::accumulate(v.begin(), v.end(), 0L);
    std::printf("unique count %u sum %ld front %d back %d\n", static_cast<unsigned>(v.size()), sum, v.front(), v.back());
    auto lb = std::lower_bound(v.begin(), v.end(), 500);
    std::printf("lower_bound(500) -> %d at %d\n", *lb, static_cast<int>(lb - v.begin()));
    std::reverse(v.begin(), v.end());
    std::stable_sort(v.begin(), v.end(), [](int a, int b) { return a % 10 < b % 10; });
    std::printf("stable by last digit:");
    for (size_t i = 0; i < 12; i++) {
        std::printf(" %d", v[i]);
    }
    std::printf("\n");

    std::map<std::string, int> words;
    const char *text = "the meter reads the energy and the meter logs the events of the day";
    std::string cur;
    for (const char *p = text;; p++) {
        if (*p == ' ' || *p == 0) {
            if (!cur.empty()) {
                words[cur]++;
            }
            cur.clear();
            if (*p == 0) {
                break;
            }
        } else {
            cur += *p;
        }
    }
    for (const auto &kv : words) {
        std::printf("%s=%d ", kv.first.c_str(), kv.second);
    }
    std::printf("\n");

    std::string s = "MeterTwin";
    s += "-" + std::to_string(2024) + "-" + std::to_string(-17);
    std::string upper = s;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
        return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    });
    std::printf("string %s / %s len %u find(Twin)=%d substr=%s\n", s.c_str(), upper.c_str(),
                static_cast<unsigned>(s.size()), static_cast<int>(s.find("Twin")), s.substr(5, 4).c_str());

    std::vector<std::vector<int>> grid(5, std::vector<int>(5));
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 5; j++) {
            grid[i][j] = (i + 1) * (j + 2) % 7;
        }
    }
    int trace_sum = 0;
    for (int i = 0; i < 5; i++) {
        trace_sum += grid[i][i] * grid[i][4 - i];
    }
    std::printf("grid %d, max_element %d\n", trace_sum, *std::max_element(grid[3].begin(), grid[3].end()));
}

} // namespace

int main()
{
    std::printf("cpp corpus\n");
    std::printf("static init trace:");
    for (int i = 0; i < trace_len; i++) {
        std::printf(" %d", trace_log[i]);
    }
    std::printf(" computed=%d ids=%d,%d\n", computed_at_startup, first_static.id, second_static.id);
    test_exceptions();
    test_virtual();
    test_containers();
    std::printf("done, exiting with status 42\n");
    std::fflush(stdout);
    std::exit(42);
}
