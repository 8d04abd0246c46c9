import PublicaCore
import Testing

struct DateValueTests {
    @Test func keepsItsPrecision() throws {
        #expect(try #require(DateValue(year: 2022)).description == "2022")
        #expect(try #require(DateValue(year: 2022, month: 6)).description == "2022-06")
        #expect(try #require(DateValue(year: 2022, month: 9, day: 2)).description == "2022-09-02")
        #expect(DateValue(year: 2022, month: 6)?.precision == .month)
    }

    @Test func refusesImpossibleDates() {
        #expect(DateValue(year: 2024, month: 13) == nil)
        #expect(DateValue(year: 2023, month: 2, day: 29) == nil)
        #expect(DateValue(year: 2024, month: 2, day: 29) != nil)
        #expect(DateValue(year: 2022, month: 4, day: 31) == nil)
        #expect(DateValue(year: 2022, day: 3) == nil)
    }

    @Test func dateTimeRendersISO8601() throws {
        let date = try #require(DateValue(year: 2022, month: 9, day: 2))
        #expect(DateTimeValue(date: date, hour: 14, minute: 5)?.description == "2022-09-02T14:05:00")
        #expect(
            DateTimeValue(date: date, hour: 9, minute: 0, utcOffsetMinutes: 540)?.description
                == "2022-09-02T09:00:00+09:00")
    }
}
