using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using NodaTime;
using NodaTime.Text;
using Salex.Ledger.Calendar;

namespace Salex.Ledger.Api.Features.OperationsConsole;

/// <summary>
/// What every console page needs of its request: the language, the signed-in user and role (from the console's cookie
/// only), the antiforgery token for its forms, and the layout it is rendered in.
/// </summary>
public sealed class ConsolePage(HttpContext context)
{
    public const string LanguageCookie = "salex-console-lang";

    public HttpContext Context => context;

    /// <summary>Spanish unless the user chose English: the finance unit works in San Salvador.</summary>
    public string Language =>
        context.Request.Cookies.TryGetValue(LanguageCookie, out var lang) && lang == "en" ? "en" : "es";

    public string T(string english) => ConsoleText.Translate(english, Language);

    private ClaimsPrincipal? Console =>
        context.User.Identity is { IsAuthenticated: true, AuthenticationType: ConsoleAuthentication.Scheme }
            ? context.User
            : null;

    public string? Who => Console?.FindFirstValue(ClaimTypes.Name);

    public string? Role => Console?.FindFirstValue(ClaimTypes.Role);

    /// <summary>Whether the signed-in role is one of a policy's roles (<c>Roles.ReadReconciliation</c>, ...).</summary>
    public bool May(string roles) => Role is { } role && roles.Split(',').Contains(role);

    private AntiforgeryTokenSet? _tokens;

    private AntiforgeryTokenSet Tokens =>
        _tokens ??= context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);

    /// <summary>The hidden field every form carries (ASP.NET Core antiforgery).</summary>
    public Html AntiforgeryField =>
        $"<input type=\"hidden\" name=\"{Tokens.FormFieldName}\" value=\"{Tokens.RequestToken}\">";

    /// <summary>The same token for the upload script, which sends it as a header so that the file is streamed.</summary>
    public string AntiforgeryToken => Tokens.RequestToken ?? "";

    public string Money(decimal amount) =>
        amount.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An instant as El Salvador's local time (UTC−6, no daylight saving time), the way the office reads it.</summary>
    public static string Time(Instant instant) =>
        LocalDateTimePattern
            .CreateWithInvariantCulture("yyyy-MM-dd HH:mm:ss")
            .Format(instant.InZone(ElSalvador.TimeZone).LocalDateTime);

    public static string Time(DateTimeOffset instant) => Time(Instant.FromDateTimeOffset(instant));

    public string YesNo(bool value) => value ? T("yes") : T("no");

    public IResult Render(string title, Html body, int status = StatusCodes.Status200OK) =>
        ConsoleLayout.Render(this, title, body, status);

    /// <summary>A problem (the API's problem details message) shown on a page, with the status it would have.</summary>
    public IResult Problem(IResult problem, string? title = null) =>
        Render(
            title ?? T("The request cannot be done"),
            ConsoleProblems.Box(this, problem),
            ConsoleProblems.StatusOf(problem)
        );
}
