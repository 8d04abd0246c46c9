import PublicaCore
import Testing

@testable import PublicaPipeline

/// The page made from a run report: every section from the JSON, and nothing from the data
/// reaching the page as markup.
struct RunReportPageTests {
    static let report: FieldValue = .object([
        ("pipeline", .text("p")), ("started", .text("2026-12-04T10:00:00Z")),
        ("finished", .text("2026-12-04T10:00:01Z")),
        ("inputs", .list([.object([("path", .text("/home/me/data/in.csv")), ("bytes", .integer(1234))])])),
        ("records", .object([("read", .integer(1200)), ("written", .integer(1000)), ("rejected", .integer(200))])),
        (
            "profiles",
            .list([
                .object([
                    ("name", .text("p")),
                    (
                        "fields",
                        .list([
                            .object([
                                ("name", .text("<b>name</b>")), ("type", .text("string")), ("present", .integer(900)),
                                ("missing", .integer(100)), ("distinct", .integer(10_000)),
                                ("distinctIsLowerBound", .boolean(true)), ("min", .text("<script>alert(1)</script>")),
                                ("max", .text("춘천")),
                                ("mostCommon", .list([.object([("value", .text("강릉")), ("count", .integer(5))])]))
                            ]),
                            .object([
                                ("name", .text("amount")), ("type", .text("integer")), ("present", .integer(1000)),
                                ("missing", .integer(0)), ("distinct", .integer(3)),
                                (
                                    "histogram",
                                    .object([
                                        ("min", .text("1")), ("max", .text("9")), ("sampled", .integer(1000)),
                                        ("counts", .list([.integer(3), .integer(0), .integer(7)]))
                                    ])
                                )
                            ])
                        ])
                    )
                ])
            ])
        ),
        (
            "rejectGroups",
            .object([
                (
                    "groups",
                    .list([
                        .object([
                            ("rule", .text("type")), ("field", .text("amount")), ("count", .integer(200)),
                            (
                                "examples",
                                .list([
                                    .object([
                                        ("source", .text("/home/me/data/in.csv")), ("line", .integer(7)),
                                        ("message", .text("not an integer")), ("value", .text("12a"))
                                    ])
                                ])
                            )
                        ])
                    ])
                )
            ])
        ),
        (
            "gates",
            .list([
                .object([
                    ("gate", .text("max_rejects")), ("limit", .text("500")), ("value", .text("200")),
                    ("passed", .boolean(true))
                ])
            ])
        ),
        ("outputs", .list([])), ("exitCode", .integer(3))
    ])

    @Test func everySectionComesFromTheReport() {
        let html = RunReportPage(report: RunReportPageTests.report, title: "강원 <인구>").html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("강원 &lt;인구&gt;"))
        #expect(html.contains("published with rejected records"))
        #expect(html.contains("1,200</b>read"))
        #expect(html.contains("16.7 %"))  // 200 of 1,200 rejected
        #expect(html.contains("<code>max_rejects</code>"))
        #expect(html.contains("<code>in.csv:7</code> <q>12a</q> not an integer"))
        #expect(html.contains("10,000+"))
        #expect(html.contains("강릉 <span>×5</span>"))
        #expect(html.contains("<svg class=\"histogram\""))
        #expect(html.components(separatedBy: "<rect ").count == 4)
    }

    @Test func theDataNeverBecomesMarkupAndThePageNamesNoFolder() {
        let html = RunReportPage(report: RunReportPageTests.report).html
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("&lt;b&gt;name&lt;/b&gt;"))
        #expect(!html.contains("/home/me"))
        // Self-contained: nothing is fetched.
        #expect(!html.contains("src="))
        #expect(!html.contains("href="))
        #expect(!html.contains("url("))
    }
}
