using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Salex.Ledger.Api.Infrastructure;
using Shouldly;

namespace Salex.Ledger.Api.Tests;

/// <summary>
/// A field given twice is refused as such. The serializer says so only in its message's wording; the ledger took a
/// message beginning "Duplicate " for a duplicate, so a .NET release that worded it otherwise would have turned the
/// answer into "wrong type or format", and a refusal of another kind worded that way was taken for a duplicate. No
/// host: the body is read as an endpoint reads it.
/// </summary>
public sealed class JsonBodyTests
{
    private const string GivenTwice = "The field is given more than once.";
    private const string WrongType = "The value has the wrong type or format.";

    public sealed record Spouse(string? FullName);

    public sealed record Request(decimal? Amount, Spouse? Spouse);

    /// <summary>Refuses every value with a message of its own that begins as the serializer's duplicate message.</summary>
    public sealed class ListCodeConverter : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new JsonException("Duplicate code lists are not accepted.");

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }

    public sealed record Coded([property: JsonConverter(typeof(ListCodeConverter))] string? Code);

    private static async Task<IDictionary<string, string[]>> RefusalOf<T>(string json)
        where T : class
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var (body, problem) = await JsonBody.ReadAsync<T>(context.Request, CancellationToken.None);

        body.ShouldBeNull();
        return problem
            .ShouldBeOfType<ProblemHttpResult>()
            .ProblemDetails.ShouldBeOfType<HttpValidationProblemDetails>()
            .Errors;
    }

    [Theory]
    [InlineData("""{"amount":1.00,"amount":55.92}""", "amount")]
    [InlineData("""{"amount":1.00,"Amount":55.92}""", "amount")]
    [InlineData("""{"amount":1.00,"amount":"55.92"}""", "amount")] // the repeat comes before its wrong value
    [InlineData("""{"amount":1.00,"spouse":{"fullName":"Ana","fullName":"Eva"}}""", "spouse.fullName")]
    [InlineData("""{"amount":1.00,"amount":2.00,""", "amount")] // the repeat comes before the broken end
    public async Task a_field_given_twice_is_named_as_given_twice(string json, string field)
    {
        var errors = await RefusalOf<Request>(json);

        errors.ShouldHaveSingleItem().Key.ShouldBe(field);
        errors[field].ShouldBe([GivenTwice]);
    }

    [Fact]
    public async Task a_wrong_value_before_its_field_is_repeated_is_named_as_a_wrong_value()
    {
        var errors = await RefusalOf<Request>("""{"amount":"1.00","amount":55.92}""");

        errors["amount"].ShouldBe([WrongType]);
    }

    [Fact]
    public async Task a_refusal_worded_like_the_serializers_duplicate_message_is_not_taken_for_a_field_given_twice()
    {
        var errors = await RefusalOf<Coded>("""{"code":"ISO-3166"}""");

        errors["code"].ShouldBe([WrongType]);
    }

    [Fact]
    public async Task a_body_without_faults_is_read_whole()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream("""{"amount":55.92,"spouse":{"fullName":"Ana"}}"""u8.ToArray());

        var (body, problem) = await JsonBody.ReadAsync<Request>(context.Request, CancellationToken.None);

        problem.ShouldBeNull();
        body.ShouldBe(new Request(55.92m, new Spouse("Ana")));
    }
}
