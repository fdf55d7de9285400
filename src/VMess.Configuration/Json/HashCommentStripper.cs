namespace VMess.Configuration.Json;

/// <summary>
/// V2Ray's reader (infra/conf/json/reader.go) also takes <c>#</c> comments to the end of the line, which
/// System.Text.Json does not. This blanks them out with spaces, outside strings and outside <c>//</c> and
/// <c>/* */</c> comments (which the parser skips itself), so line and position numbers stay true.
/// </summary>
internal static class HashCommentStripper
{
    public static string Strip(string json)
    {
        if (!json.Contains('#', StringComparison.Ordinal))
        {
            return json;
        }

        var text = json.ToCharArray();
        var state = State.Code;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (state)
            {
                case State.Code when c == '"':
                    state = State.String;
                    break;
                case State.Code when c == '/' && next == '/':
                    state = State.LineComment;
                    i++;
                    break;
                case State.Code when c == '/' && next == '*':
                    state = State.BlockComment;
                    i++;
                    break;
                case State.Code when c == '#':
                    state = State.HashComment;
                    text[i] = ' ';
                    break;
                case State.String when c == '\\':
                    i++;
                    break;
                case State.String when c == '"':
                    state = State.Code;
                    break;
                case State.LineComment when c is '\n' or '\r':
                    state = State.Code;
                    break;
                case State.BlockComment when c == '*' && next == '/':
                    state = State.Code;
                    i++;
                    break;
                case State.HashComment when c is '\n' or '\r':
                    state = State.Code;
                    break;
                case State.HashComment:
                    text[i] = ' ';
                    break;
            }
        }
        return new string(text);
    }

    private enum State
    {
        Code,
        String,
        LineComment,
        BlockComment,
        HashComment,
    }
}
